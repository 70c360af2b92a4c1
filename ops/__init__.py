"""What production runs besides the four processes' own code: the launchers, the supervisor, nginx's and Rasa's
configuration, log files, train-if-stale."""
