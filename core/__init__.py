"""What every app's admin shares (issue 13): the one base ModelAdmin and its history pages.
Imports no app of this project, so every app may build on it."""
