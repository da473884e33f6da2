package ledger

// Post records an amount in cents.
func Post(cents int64) int64 { return cents }
