"""One module per bench dataset family, each with read(path), settings(link_type) and train(linker)."""

from models import fake_1000, febrl, senzing

MODELS = {"febrl": febrl, "fake_1000": fake_1000, "senzing": senzing}
