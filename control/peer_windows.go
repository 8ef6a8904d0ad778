package control

import (
	"fmt"
	"net"
)

// checkPeer refuses every connection on Windows until the control endpoint
// moves to a named pipe with the user's ACL there: AF_UNIX sockets on
// Windows carry no peer credentials to check.
func checkPeer(net.Conn) error {
	return fmt.Errorf("%w: peer credentials are not available on Windows", ErrForeignUser)
}
