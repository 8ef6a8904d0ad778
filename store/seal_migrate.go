package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/engram-app/engram/document"
)

// migrateChecksums (schema 4 -> 5) rewrites every document, memory, memory
// version, file record, job, dictionary entry and setting behind a CRC32C
// (store/encoding.go), so that a damaged record is found on read and by
// doctor instead of being served changed.
func migrateChecksums(tx *bolt.Tx) error {
	if b := tx.Bucket(bucketSettings); b != nil {
		err := rewrite(b, func(v []byte) ([]byte, error) {
			var s string
			if openValue(v, &s) == nil {
				return v, nil // sealed already
			}
			return sealValue(string(v))
		})
		if err != nil {
			return fmt.Errorf("sealing the settings: %w", err)
		}
	}
	return tx.Bucket(bucketWorkspaces).ForEach(func(name, _ []byte) error {
		root := tx.Bucket(wsBucketName(string(name)))
		if root == nil {
			return nil
		}
		if b := root.Bucket(bDocSeq); b != nil {
			err := rewrite(b, func(v []byte) ([]byte, error) {
				var d document.Document
				if decodeDoc(v, &d) == nil {
					return v, nil // sealed already
				}
				if err := decodeLegacyDoc(v, &d); err != nil {
					return nil, err
				}
				return encodeDoc(&d)
			})
			if err != nil {
				return fmt.Errorf("sealing the documents of workspace %s: %w", name, err)
			}
		}
		for _, bn := range sealedBuckets {
			b := root.Bucket(bn)
			if b == nil {
				continue
			}
			err := rewrite(b, func(v []byte) ([]byte, error) {
				if _, err := unseal(sealedJSON, v); err == nil {
					return v, nil // sealed already
				}
				if !json.Valid(v) {
					return nil, fmt.Errorf("a value is not JSON")
				}
				return seal(sealedJSON, v), nil
			})
			if err != nil {
				return fmt.Errorf("sealing the %s of workspace %s: %w", bn, name, err)
			}
		}
		return nil
	})
}

// openLegacyValue reads a value that may be from before schema 5 (plain
// JSON) or after it (sealed), for migrations that run before the sealing.
func openLegacyValue(b []byte, v any) error {
	if len(b) > 0 && b[0] == sealedJSON {
		return openValue(b, v)
	}
	return json.Unmarshal(b, v)
}

// rewrite replaces every value of b by fn's result. Keys are collected
// first: a bucket must not change under its cursor.
func rewrite(b *bolt.Bucket, fn func([]byte) ([]byte, error)) error {
	var keys [][]byte
	if err := b.ForEach(func(k, v []byte) error {
		if v != nil {
			keys = append(keys, append([]byte(nil), k...))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		nv, err := fn(b.Get(k))
		if err != nil {
			return fmt.Errorf("record %x: %w", k, err)
		}
		if err := b.Put(k, nv); err != nil {
			return err
		}
	}
	return nil
}
