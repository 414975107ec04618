"""Reports on the database: the stats as data and text, a terminal chart, the HTML
report for the weekly review. Everything here reads the store's typed answers."""
