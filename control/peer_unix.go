//go:build linux || darwin || freebsd || netbsd || openbsd

package control

import (
	"fmt"
	"net"
	"os"
)

// checkPeer refuses a connection whose peer is another user.
func checkPeer(c net.Conn) error {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return fmt.Errorf("%w: not a Unix socket", ErrForeignUser)
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return err
	}
	var uid uint32
	var uerr error
	if err := raw.Control(func(fd uintptr) { uid, uerr = peerUID(int(fd)) }); err != nil {
		return err
	}
	if uerr != nil {
		return fmt.Errorf("reading the peer's credentials: %w", uerr)
	}
	if int(uid) != os.Getuid() {
		return fmt.Errorf("%w: uid %d", ErrForeignUser, uid)
	}
	return nil
}
