-- Plain GET; present so every scenario is a script in this folder.
wrk.method = "GET"
