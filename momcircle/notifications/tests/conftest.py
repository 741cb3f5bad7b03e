from scheduling.tests import conftest as scheduling_conftest

# The scheduling tests' circle (a woman in every position) and its meetup a week from now.
circle = scheduling_conftest.circle
meetup = scheduling_conftest.meetup
