package memory

// Context packs are built and cached by the container (package
// contextpack); each cached pack carries the version of its user's memories
// when its build began, from Version, and a pack of an older version is
// never served.

// Version is the version of k's memories: it changes with every write to
// them, and never repeats (also after k's index is dropped from the cache
// and built again).
func (s *Service) Version(k Key) (uint64, error) {
	ix, err := s.index(k)
	if err != nil {
		return 0, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.version, nil
}
