// Foundation is imported here so that a static release build links every library it needs.
import Foundation
import TutorCLI

Tutor.start()
