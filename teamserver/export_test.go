package teamserver

import "context"

// SettingAfter is what a plain query on the pool sees of the user setting:
// with a pool of one connection, the connection the last request used.
func (s *Server) SettingAfter(ctx context.Context) (string, error) {
	var v string
	err := s.pool.QueryRow(ctx, `SELECT coalesce(current_setting('engram.user_id', true), '')`).Scan(&v)
	return v, err
}
