package app

import "github.com/engram-app/engram/connect/secrets"

// TeamSecrets is the secret store the team client keeps its tokens in: the
// connectors' (the keychain, or the encrypted file when secrets.store is
// file).
func (a *App) TeamSecrets() (secrets.Store, error) { return a.secretStore() }
