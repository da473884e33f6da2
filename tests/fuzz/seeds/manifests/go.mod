module x

require (
	github.com/a/b v1.2.3
)
require c v0.1.0
