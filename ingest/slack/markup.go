package slack

import "strings"

var unescape = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// mention is a user a message mentions, with the name Slack wrote in the
// mention if any ("<@U123|alice>").
type mention struct{ id, label string }

// resolve turns Slack's message markup into plain text and returns the users
// it mentions, in order:
//
//	<@U123> <@U123|old>   -> @Real Name
//	<#C123|general>       -> #general
//	<!here> <!channel>    -> @here @channel
//	<!subteam^S1|@team>   -> @team
//	<https://x|label>     -> label (https://x)
//	<https://x>           -> https://x
//	&lt; &gt; &amp;       -> < > &
//
// Emphasis (*bold*, _italic_, ~strike~) is left as written.
func (e *export) resolve(text string) (string, []mention) {
	if !strings.ContainsAny(text, "<&") {
		return strings.TrimSpace(text), nil
	}
	var b strings.Builder
	var mentions []mention
	for {
		i := strings.IndexByte(text, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(text[i+1:], '>')
		if j < 0 {
			break
		}
		b.WriteString(text[:i])
		tok := text[i+1 : i+1+j]
		text = text[i+2+j:]
		ref, label, hasLabel := strings.Cut(tok, "|")
		switch {
		case strings.HasPrefix(ref, "@"):
			id := ref[1:]
			mentions = append(mentions, mention{id, label})
			b.WriteString("@" + e.displayName(id, label))
		case strings.HasPrefix(ref, "#"):
			id := ref[1:]
			name := label
			if name == "" {
				name = firstNonEmpty(e.chanName[id], id)
			}
			b.WriteString("#" + name)
		case strings.HasPrefix(ref, "!"):
			switch {
			case hasLabel && label != "":
				if !strings.HasPrefix(label, "@") && !strings.HasPrefix(ref, "!date") {
					label = "@" + label
				}
				b.WriteString(label)
			default:
				cmd, _, _ := strings.Cut(ref[1:], "^")
				b.WriteString("@" + cmd)
			}
		default:
			url := ref
			shown := strings.TrimPrefix(url, "mailto:")
			switch {
			case !hasLabel || label == "" || label == url || label == shown:
				b.WriteString(shown)
			default:
				b.WriteString(label + " (" + url + ")")
			}
		}
	}
	b.WriteString(text)
	return strings.TrimSpace(unescape.Replace(b.String())), mentions
}
