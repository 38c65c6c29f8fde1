"""cchc-flow engine: the only package that touches SpiffWorkflow. Never imports Flask."""
