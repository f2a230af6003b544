// Command aomdoctor checks an Associate-O-Matic store's evidence (its AOM
// settings, Amazon Associates reports, cart-report emails and pages) and
// says what is wrong, with the proof and the fix.
package main

import "os"

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}
