package cli

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/web"
)

// defaultServeAddr is where `engram serve` listens unless told otherwise; a
// fixed port lets a bookmark survive restarts (the token does not). When it
// is taken, serve falls back to an ephemeral port.
const defaultServeAddr = "127.0.0.1:7777"

func serveCmd(e *env) *cobra.Command {
	var addr string
	var allowRemote bool
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT] [--allow-remote]",
		Short: "Serve the Engram UI and API over HTTP on this machine, for a browser",
		Long: "Serve runs the desktop app's UI and a JSON API on 127.0.0.1 and prints the URL to open,\n" +
			"with a fresh random access token; every request needs that token. It runs until Ctrl-C.\n" +
			"Without --addr it listens on " + defaultServeAddr + ", or on a free port when that one is taken.\n" +
			"Addresses other than loopback are refused unless --allow-remote is given.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			explicit := cmd.Flags().Changed("addr")
			if err := checkServeAddr(cmd.Context(), addr, allowRemote); err != nil {
				return err
			}
			return e.withApp(func(ctx context.Context, a *app.App) error {
				s, err := web.New(a, web.Options{ErrorLog: log.New(e.stderr, "engram serve: ", log.LstdFlags)})
				if err != nil {
					return err
				}
				ln, err := listenServe(addr, explicit)
				if err != nil {
					return err
				}
				a.StartConnectorSync() // the one running Engram syncs the connectors (app/connect.go)
				if !explicit && ln.Addr().String() != addr {
					fmt.Fprintf(e.stderr, "note: %s is in use; serving on a free port instead\n", addr)
				}
				// The only place the token is shown: one line on stdout, for
				// the user or the script that started us.
				fmt.Fprintf(e.stdout, "Engram is serving on %s\n", s.URL("http://"+ln.Addr().String()))
				fmt.Fprintln(e.stderr, "Open that link in a browser; press Ctrl-C to stop.")
				err = s.Serve(ctx, ln)
				if errors.Is(err, context.Canceled) {
					return nil
				}
				return err
			})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", defaultServeAddr, "address to listen on, HOST:PORT (port 0: any free port)")
	cmd.Flags().BoolVar(&allowRemote, "allow-remote", false, "allow an address other than loopback (anyone who can reach it may try the token)")
	return cmd
}

// checkServeAddr refuses a listen address that is not loopback (0.0.0.0, ::,
// an empty host, a LAN address, a name that resolves to any of those) unless
// allowRemote is set. It is a usage error (exit 2).
func checkServeAddr(ctx context.Context, addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageError{fmt.Errorf("--addr %q: want HOST:PORT, e.g. 127.0.0.1:7777: %w", addr, err)}
	}
	if allowRemote {
		return nil
	}
	ok, err := isLoopbackHost(ctx, host)
	if err != nil {
		return usageError{fmt.Errorf("--addr %q: %w", addr, err)}
	}
	if !ok {
		return usageError{fmt.Errorf("refusing to serve on %s: it is reachable from other machines, which could then try to guess the token; "+
			"use a loopback address such as 127.0.0.1, or pass --allow-remote if you really mean it", addr)}
	}
	return nil
}

// isLoopbackHost reports whether every address host stands for is a
// loopback address. An empty host means every interface.
func isLoopbackHost(ctx context.Context, host string) (bool, error) {
	if host == "" {
		return false, nil
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback(), nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return false, fmt.Errorf("resolving %s: %w", host, err)
	}
	for _, ip := range ips {
		if !ip.IP.IsLoopback() {
			return false, nil
		}
	}
	return len(ips) > 0, nil
}

// listenServe listens on addr. When the address is the default (not given
// by the user) and its port is taken, it listens on a free port of the same
// host instead.
func listenServe(addr string, explicit bool) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	if !explicit && errors.Is(err, syscall.EADDRINUSE) {
		host, _, _ := net.SplitHostPort(addr)
		if ln, err2 := net.Listen("tcp", net.JoinHostPort(host, "0")); err2 == nil {
			return ln, nil
		}
	}
	return nil, fmt.Errorf("listening on %s: %w; choose another address with --addr 127.0.0.1:PORT", addr, err)
}
