"""Run: the pipeline that joins the stages, polling, the scheduler and systemd."""
