import TutorCLI

Tutor.main()
