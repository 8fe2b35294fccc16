"""The Party-building ledger (台账): its rows (`selectors`) for the page and the workbook."""
