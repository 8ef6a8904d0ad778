package corpus

// functionWords are the most frequent words of English prose. They take the
// top ranks of the vocabulary, as they do in real mail; search engines drop
// most of them as stop words, so benchmark queries avoid them.
var functionWords = []string{
	"the", "to", "and", "of", "a", "in", "for", "is", "on", "that", "we",
	"will", "be", "with", "this", "you", "it", "at", "are", "have", "as",
	"from", "our", "by", "not", "or", "can", "an", "if", "all", "would",
	"about", "please", "has", "was", "any", "they", "me", "your", "do",
	"should", "there", "but", "what", "so", "been", "their", "which",
}

// businessWords are common words of corporate energy-trading mail. They take
// the ranks after the function words, shuffled by the seed.
var businessWords = []string{
	"gas", "power", "energy", "price", "prices", "contract", "contracts", "deal",
	"deals", "market", "markets", "trading", "trade", "trader", "traders",
	"meeting", "schedule", "report", "reports", "risk", "credit", "capacity",
	"pipeline", "transmission", "california", "texas", "houston", "portland",
	"storage", "supply", "demand", "volume", "volumes", "load", "forecast",
	"budget", "cost", "costs", "revenue", "earnings", "quarter", "year",
	"month", "week", "today", "tomorrow", "monday", "tuesday", "wednesday",
	"thursday", "friday", "morning", "afternoon", "call", "conference",
	"agenda", "minutes", "presentation", "draft", "final", "review",
	"approval", "approve", "approved", "sign", "signed", "legal", "counsel",
	"agreement", "amendment", "terms", "term", "option", "options", "swap",
	"swaps", "hedge", "hedging", "position", "positions", "book", "books",
	"desk", "west", "east", "central", "north", "south", "region", "regional",
	"plant", "plants", "generation", "utility", "utilities", "customer",
	"customers", "client", "clients", "account", "accounts", "invoice",
	"invoices", "payment", "payments", "settlement", "settlements", "audit",
	"accounting", "finance", "financial", "analyst", "analysts", "analysis",
	"model", "models", "data", "database", "system", "systems", "online",
	"website", "email", "memo", "attached", "attachment", "file", "files",
	"spreadsheet", "number", "numbers", "total", "estimate", "estimates",
	"project", "projects", "team", "group", "department", "office", "floor",
	"building", "management", "manager", "managers", "director", "president",
	"vice", "executive", "board", "committee", "policy", "policies",
	"regulatory", "regulation", "commission", "federal", "state", "tariff",
	"rates", "rate", "interest", "bond", "bonds", "stock", "shares", "equity",
	"debt", "loan", "bank", "banks", "fund", "funds", "investment",
	"investors", "partnership", "partner", "partners", "structure",
	"transaction", "transactions", "closing", "close", "open", "issue",
	"issues", "problem", "problems", "question", "questions", "answer",
	"response", "follow", "update", "updates", "status", "information",
	"details", "summary", "plan", "plans", "strategy", "goal", "goals",
	"target", "targets", "performance", "bonus", "salary", "employee",
	"employees", "staff", "hiring", "interview", "candidate", "resume",
	"training", "travel", "flight", "hotel", "dinner", "lunch", "party",
	"holiday", "weekend", "vacation", "family", "office", "phone", "fax",
	"number", "address", "contact", "list", "names", "name", "letter",
	"notice", "deadline", "date", "time", "hours", "delivery", "deliveries",
	"point", "points", "hub", "index", "basis", "spread", "spot", "forward",
	"physical", "financial", "weather", "temperature", "winter", "summer",
	"peak", "megawatt", "megawatts", "mmbtu", "curve", "curves", "mark",
	"marked", "exposure", "limit", "limits", "control", "controls",
	"compliance", "security", "access", "password", "network", "server",
	"support", "help", "thanks", "regards", "sorry", "great", "good",
	"important", "urgent", "confidential", "internal", "external", "new",
	"next", "last", "first", "second", "third", "final", "early", "late",
	"soon", "again", "already", "still", "send", "sent", "receive",
	"received", "forward", "discuss", "discussed", "discussion", "talk",
	"know", "need", "needs", "want", "think", "believe", "understand",
	"confirm", "confirmed", "confirmation", "check", "working", "work",
	"worked", "done", "complete", "completed", "ready", "change", "changes",
	"changed", "issue", "fix", "set", "start", "end", "begin", "continue",
}

// phrases are stock phrases of business mail, dropped into some sentences so
// that phrase queries have something to find.
var phrases = []string{
	"natural gas", "power plant", "conference call", "let me know",
	"risk management", "credit risk", "trading floor", "price cap",
	"energy crisis", "board meeting", "purchase agreement", "gas daily",
	"spot market", "forward curve", "legal review", "year end",
	"next week", "as soon as possible", "on the phone", "in the office",
}

var firstNames = []string{
	"john", "mike", "chris", "david", "mark", "jeff", "james", "robert",
	"steve", "kevin", "richard", "scott", "paul", "brian", "tom", "dan",
	"greg", "jim", "bill", "matt", "andrew", "eric", "peter", "tim", "joe",
	"gary", "larry", "kenneth", "phillip", "louise", "sally", "sara", "susan",
	"kay", "tana", "vince", "stanley", "sherri", "kate", "lisa", "karen",
	"mary", "jennifer", "elizabeth", "linda", "barbara", "patricia", "nancy",
	"laura", "julie", "kim", "michelle", "amy", "angela", "rebecca", "diana",
	"monique", "holly", "carol", "debra", "cathy", "rosalee", "shelley",
	"vladimir", "rod", "darrell", "hunter", "jason", "bryan", "frank",
	"drew", "tori", "errol", "lynn", "marie", "teb", "dana", "stacy",
	"jane", "ann", "joan", "ruth", "alan", "ben", "carl", "dennis", "doug",
	"fred", "harry", "jack", "keith", "lee", "martin", "neil", "pete",
	"ray", "sam", "ted", "wade", "victor", "mona", "kristin", "rick",
}

var lastNames = []string{
	"allen", "arnold", "bass", "beck", "belden", "benson", "blair", "brawner",
	"buy", "campbell", "carson", "cash", "causholli", "corman", "dasovich",
	"davis", "dean", "delainey", "derrick", "dickson", "donohoe", "dorland",
	"ermis", "farmer", "fischer", "forney", "fossum", "gang", "gay", "geaccone",
	"germany", "giron", "griffith", "grigsby", "guzman", "haedicke", "hain",
	"harris", "hayslett", "heard", "hernandez", "hodge", "holst", "horton",
	"hyatt", "hyvl", "jones", "kaminski", "kean", "keavey", "keiser", "king",
	"kitchen", "kuykendall", "lavorato", "lay", "lenhart", "lewis", "lokay",
	"lokey", "love", "lucci", "maggi", "mann", "martin", "may", "mccarty",
	"mcconnell", "mckay", "mclaughlin", "merris", "meyers", "mims", "motley",
	"neal", "nemec", "panus", "parks", "pereira", "perlingiere", "phanis",
	"pimenov", "platter", "presto", "quenet", "quigley", "rapp", "reitmeyer",
	"richey", "ring", "rodrique", "rogers", "ruscitti", "sager", "saibi",
	"salisbury", "sanchez", "sanders", "scholtes", "schoolcraft", "schwieger",
	"scott", "shackleton", "shankman", "shapiro", "shively", "skilling",
	"slinger", "smith", "solberg", "south", "staab", "stclair", "steffes",
	"stepenovitch", "stokley", "storey", "sturm", "swerzbin", "symes",
	"taylor", "tholt", "thomas", "townsend", "tycholiz", "ward", "watson",
	"weldon", "whalley", "whitt", "williams", "wolfe", "ybarbo", "zipper",
	"zufferli", "baker", "brown", "clark", "evans", "green", "hall", "hill",
	"jackson", "johnson", "lee", "miller", "moore", "nelson", "parker",
	"roberts", "robinson", "thompson", "turner", "walker", "white", "wilson",
	"wright", "young", "adams", "anderson", "bailey", "cooper", "edwards",
}

// externalDomains are the correspondents' domains outside Enron.
var externalDomains = []string{
	"aol.com", "hotmail.com", "yahoo.com", "dynegy.com", "elpaso.com",
	"reliant.com", "pge.com", "sempra.com", "ferc.gov", "caiso.com",
	"aep.com", "duke-energy.com", "williams.com", "velaw.com", "kslaw.com",
	"mckinsey.com", "andersen.com", "jpmorgan.com", "ubs.com", "utexas.edu",
}

// Syllable parts of the pronounceable pseudo-words (project names, jargon,
// places) that make up the long tail of the vocabulary.
var (
	onsets = []string{"b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p",
		"r", "s", "t", "v", "w", "z", "br", "cr", "dr", "fl", "gr", "pl", "pr",
		"st", "tr", "ch", "sh", "th", "sk", "sp", "qu", "bl", "cl", "gl"}
	vowels = []string{"a", "e", "i", "o", "u", "a", "e", "i", "o", "a", "o",
		"ai", "ou", "io", "ee"}
	codas = []string{"", "", "", "", "n", "r", "s", "t", "l", "m", "nd", "st",
		"ck", "rt", "ng", "x"}
)
