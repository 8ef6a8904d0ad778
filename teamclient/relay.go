package teamclient

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/engram-app/engram/syncproto"
)

// The team server as the https relay of a connector's sign-in (Slack's
// redirect must be https): set connect.slack.redirect_url to
// SERVER/relay/callback, and the sign-in finishes without pasting.

// relayPoll is how often RelayWait asks the server.
const relayPoll = 500 * time.Millisecond

// RelayHandles reports whether redirect is the relay of the team server
// this desktop is signed in to.
func (c *Client) RelayHandles(redirect string) bool {
	server, tokens := c.session()
	return tokens != nil && server != "" && redirect == server+syncproto.RelayPath
}

// RelayBegin registers a sign-in's state with the relay.
func (c *Client) RelayBegin(ctx context.Context, state string) error {
	var res syncproto.RelayResponse
	return c.call(ctx, "POST", "/v1/relay", syncproto.RelayRequest{State: state}, &res)
}

// RelayWait asks the relay every half second for the query the browser
// brought back for state, until it came or ctx ends.
func (c *Client) RelayWait(ctx context.Context, state string) (string, error) {
	t := time.NewTicker(relayPoll)
	defer t.Stop()
	for {
		var res syncproto.RelayResponse
		if err := c.call(ctx, "GET", "/v1/relay?state="+url.QueryEscape(state), nil, &res); err != nil {
			return "", err
		}
		if !res.Waiting {
			if res.Query == "" {
				return "", fmt.Errorf("the relay answered without the sign-in's address")
			}
			return res.Query, nil
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-t.C:
		}
	}
}
