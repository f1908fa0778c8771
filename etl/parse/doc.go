// Package parse turns the text of one export cell into a typed value, following
// SPEC §2.4 and §8: timestamps in every accepted form, null markers, bools, enums
// and the NFKC folding of ids. It is pure (no I/O, no clock) and fuzzed.
package parse
