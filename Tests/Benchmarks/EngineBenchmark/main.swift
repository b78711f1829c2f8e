print("engine benchmark")
