package gaps

// lexicon is the cue lexicon, English. Each phrase is lower case; the
// matcher folds case and matches whole words only.
func lexicon() []cue {
	var out []cue
	add := func(sig signal, phrases ...string) {
		for _, p := range phrases {
			out = append(out, cue{phrase: p, sig: sig})
		}
	}
	add(sigDecision, "we decided", "we've decided", "we have decided", "i decided", "i've decided",
		"decided to", "decided that", "decided on", "we agreed", "agreed to", "agreed that", "agreed on",
		"it was agreed", "will go with", "we're going with", "we are going with", "let's go with", "we'll go with", "the decision is", "decision was made",
		"the decision was", "we settled on", "settled on", "we chose", "we've chosen", "opted to", "opted for",
		"we will proceed with", "final decision", "approved the", "we're moving forward with", "it was decided",
		"was decided", "has been decided", "we've agreed", "we have agreed", "we picked", "we selected",
		"we've selected", "we have selected", "we chose to", "we're going to go with", "decision", "final call")
	add(sigOwnership, "will handle", "will own", "owns", "will take care of", "take care of", "is responsible for",
		"are responsible for", "responsible for", "in charge of", "will lead", "will drive", "will follow up",
		"will take", "will coordinate", "will manage", "assigned to", "action item", "owner", "point person",
		"i'll handle", "i'll take", "i'll own", "i'll do", "i'll follow up", "i will handle", "i will take", "will",
		"to follow up", "to own", "to handle", "to draft", "to send", "to prepare", "to lead", "to drive",
		"assigning", "assign to", "assigned", "i'm on it", "i can take", "i'll look into", "i'll get", "i'll send",
		"i'll draft", "i'll prepare", "i'll update", "i'll write", "i'll set up", "i'll book", "i'll reach out")
	add(sigProcess, "the usual", "per the", "as per the", "according to the", "follow the", "following the",
		"the standard", "our standard", "process", "procedure", "checklist", "protocol", "workflow",
		"playbook", "runbook", "sign-off", "signoff")
	add(sigDeadline, "by", "due", "due by", "due on", "deadline", "no later than", "before")
	add(sigCommitment, "i will", "i'll", "we will", "we'll", "i promise", "i commit", "i can have", "will send",
		"will get", "will deliver", "will finish", "will provide", "my goal is", "i plan to", "i expect to",
		"we expect to", "i aim to", "i intend to", "we plan to", "i hope to")
	add(sigRequest, "please", "can you", "could you", "would you", "will you", "can we", "need you to",
		"make sure", "let me know", "send me", "get me")
	add(sigQuestion, "what", "when", "where", "who", "whom", "why", "how", "which", "is there", "are there",
		"do you", "does", "did", "should we", "shall we", "have you", "has anyone", "any update", "any news")
	add(sigRationale, "the reason being", "reasoning", "given the", "given our", "as this", "as that", "because", "since the", "since we", "since it", "since they", "so that", "so we can",
		"due to", "as a result", "given that", "the reason", "reason is", "in order to", "to avoid", "to save",
		"to reduce", "to cut", "to lower", "which means", "rationale", "cheaper", "faster", "better", "lower cost",
		"thanks to", "as it is", "as they are", "since their", "since our")
	add(sigDone, "attached", "attaching", "here is", "here are", "here's", "done", "completed", "finished",
		"sent", "submitted", "delivered", "signed", "uploaded", "shared", "taken care of", "all set")
	add(sigCopula, "is", "are", "was", "were", "will be", "is now", "stands at", "comes to", "totals",
		"is set for", "is scheduled for", "set at", "set for", "moved to", "has been")
	add(sigOwnedBy, "owned by", "owner of", "owner is", "led by", "run by", "managed by")
	add(sigDescribe, "steps", "step 1", "as follows", "consists of", "works like this", "works as follows",
		"here is how", "here's how", "how to", "involves", "goes like this", "the steps are")
	add(sigSocial, "how are you", "how was your", "how is your", "how's it going", "how are things",
		"any questions", "have any questions", "can you believe", "what do you think", "how about that",
		"why not", "who knows", "what's up", "how have you been", "what a", "what's going on", "what is going on",
		"still here", "how's everything", "how is everything", "how's life", "what's new", "guess what",
		"isn't it", "aren't they")
	add(sigDefer, "get back to you", "let me check", "i'll check", "i will check", "will check", "looking into it",
		"will look into", "not sure", "no idea", "don't know", "let me find out", "i'll find out", "checking on it")
	return out
}
