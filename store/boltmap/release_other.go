//go:build !linux

package boltmap

import (
	"go.etcd.io/bbolt"
)

func release(*bbolt.DB) error { return nil }
