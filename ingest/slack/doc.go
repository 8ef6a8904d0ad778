// Package slack imports a Slack workspace export, as the folder Slack's
// "Export data" produces or as its .zip, into one document per message.
//
// An export holds users.json and channels.json (and for some plans
// groups.json, dms.json and mpims.json) at its root, and one folder per
// conversation with a JSON array of messages per day:
//
//	export/
//	  users.json  channels.json
//	  general/2016-07-31.json
//
// In folder form each day file is one pipeline file: Sniff claims
// <root>/<channel>/<YYYY-MM-DD>.json when channels.json or users.json lies in
// <root>, and the root's metadata files are claimed too and produce nothing.
// In zip form the whole .zip is one pipeline file and every day file inside
// is read, within limits that stop zip bombs.
//
// Each message becomes a document whose ID depends only on the export's
// location, the channel ID and the message's ts, so importing the same export
// again updates documents in place. The document ID is
// document.MessageDocID(MessageID), the same rule as email, so that a reply's
// InReplyTo names its parent before the parent is read.
package slack
