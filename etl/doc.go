// Package etl loads call and work-order exports into DuckDB.
//
// Load reads one file (detecting its format, encoding, mapping profile and kind),
// parses every row, sets rejected rows aside in the rejects ledger, and applies the
// accepted rows in one transaction, so that a crash leaves the database as it was.
// Every row read is accounted for:
//
//	read = inserted + updated + unchanged + superseded + rejected
//
// Parsing happens in Go (physical line numbers, GB18030, HMAC of phone numbers,
// NFKC); the accepted rows are written as a Parquet file and applied by SQL
// (queries/load) with DuckDB's own Parquet reader.
package etl
