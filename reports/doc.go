// Package reports builds the reports of SPEC §5 — the monthly scorecard, the
// annual assessment, the trend report and the weekly briefing — and writes each as
// an Excel workbook and as a self-contained HTML page.
//
// Reports read their figures through a Source they define (a *metrics.Store, or a
// fake in tests) and never query a store themselves. Kinds lists the report
// kinds: their names, titles, periods, how each is built and how many calls it
// makes on its Source (the progress total).
package reports
