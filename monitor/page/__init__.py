"""Page: who owns a complaint, noise control, rendering, the outbox, sending and escalation."""
