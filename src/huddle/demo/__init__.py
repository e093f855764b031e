"""The demo workspace: a generated company (`generator`) and its loader (`loader`)."""
