"""Democracy: assemblies, proposals, secret ballots and the counting engine (`tabulation`)."""
