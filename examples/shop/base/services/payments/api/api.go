package api

import (
	"fmt"

	"example.com/shop/payments/ledger"
)

func Charge(cents int64) string { return fmt.Sprint(ledger.Post(cents)) }
