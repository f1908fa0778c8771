package metrics

import "github.com/fenliu/fenliu/queries"

// SetRepeatHash defines derive/repeat_hash.sql's macro as def (a SQL expression of
// key and category) for the refreshes until the returned func restores it: the
// tests make every hash collide on purpose.
func SetRepeatHash(def string) (restore func()) {
	old := repeatHash
	repeatHash = queries.Statement{Name: "derive/repeat_hash (test)", SQL: "CREATE OR REPLACE TEMP MACRO repeat_hash(key, category) AS " + def + ";"}
	return func() { repeatHash = old }
}
