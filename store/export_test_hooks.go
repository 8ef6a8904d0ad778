package store

import bolt "go.etcd.io/bbolt"

// DamageForTest flips a bit in the middle of document id's stored value,
// as a failing disk would. It is for tests of the packages above the store
// (doctor's reports); nothing else calls it.
func (s *Store) DamageForTest(ws, id string) error {
	return s.update(func(tx *bolt.Tx) error {
		dt, err := docTableOf(tx, ws)
		if err != nil {
			return err
		}
		k := append([]byte(nil), dt.ids.Get([]byte(id))...)
		v := append([]byte(nil), dt.seq.Get(k)...)
		if len(v) == 0 {
			return ErrNotFound
		}
		v[len(v)/2] ^= 0x10
		return dt.seq.Put(k, v)
	})
}
