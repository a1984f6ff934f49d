"""The stance model (FNC-1 trained, CPU, no downloaded weights): supports | disputes | discusses | unrelated."""
