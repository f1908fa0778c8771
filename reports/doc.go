// Package reports builds the reports of SPEC §5 from the metrics API (never with
// SQL of its own for an indicator) and writes them as Excel workbooks.
//
// Monthly builds the monthly scorecard (月度考评通报) model; WriteXLSX writes it as a
// print-ready workbook whose free text can never become a formula or a link.
package reports
