package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-app/engram/teamserver"
	"github.com/engram-app/engram/teamserver/pgtest"
)

func runServer(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestCommands: migrate, session and the refusals of serve, with the
// exit codes the package comment gives; the client secret never reaches
// the output.
func TestCommands(t *testing.T) {
	t.Setenv("ENGRAM_SERVER_DB", "")
	if code, _, errb := runServer(); code != 2 || !strings.Contains(errb, "--db") {
		t.Errorf("no database: %d %s", code, errb)
	}
	c := pgtest.Start(t)
	if code, out, errb := runServer("migrate", "--db", c.OwnerURL, "--app-role", "engram_app"); code != 0 || !strings.Contains(out, fmt.Sprintf("schema at version %d", teamserver.SchemaVersion())) {
		t.Fatalf("migrate: %d %s %s", code, out, errb)
	}
	if code, _, errb := runServer("migrate", "--db", c.OwnerURL, "--app-role", "engram_owner"); code != 2 {
		t.Errorf("migrate granting the owner: %d %s", code, errb)
	}
	code, out, errb := runServer("session", "--db", c.AppURL, "--issuer", "https://idp.test", "--subject", "ivy")
	if code != 0 || len(strings.TrimSpace(out)) != 64 {
		t.Fatalf("session: %d %q %s", code, out, errb)
	}
	if code, _, errb := runServer("serve", "--db", c.OwnerURL, "--addr", "127.0.0.1:0"); code != 2 || !strings.Contains(errb, "owns the tables") {
		t.Errorf("serve as the owner: %d %s", code, errb)
	}
	if code, _, errb := runServer("serve", "--db", c.AppURL, "--oidc-issuer", "http://127.0.0.1:1/oidc"); code != 2 || !strings.Contains(errb, "--oidc-client-id") {
		t.Errorf("an issuer without a client id: %d %s", code, errb)
	}
	if code, _, errb := runServer("serve", "--db", c.AppURL, "--oidc-issuer", "http://127.0.0.1:1/oidc", "--oidc-client-id", "x", "--public-url", "http://127.0.0.1:2",
		"--oidc-client-secret-file", filepath.Join(t.TempDir(), "missing")); code != 2 || !strings.Contains(errb, "secret-file") {
		t.Errorf("a missing secret file: %d %s", code, errb)
	}
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("s3cr3t-value\n"), 0o600)
	code, out, errb = runServer("serve", "--db", c.AppURL, "--addr", "127.0.0.1:0", "--oidc-issuer", "http://127.0.0.1:1/oidc", "--oidc-client-id", "x",
		"--public-url", "http://127.0.0.1:2", "--oidc-client-secret-file", secret)
	if code != 1 || !strings.Contains(errb, "discovery document") || strings.Contains(out+errb, "s3cr3t") {
		t.Errorf("an unreachable provider: %d %s %s", code, out, errb)
	}
}
