print("driftd")
