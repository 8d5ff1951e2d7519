// Placeholder entry point; the runner work replaces it.
return 0;
