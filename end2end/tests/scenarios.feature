# A fixed set of docassemble's browser scenarios that pass through Colloquy's UI, copied from
# docassemble (https://github.com/jhpyle/docassemble, MIT licence),
# tests/features/TestExamples.feature; run by end2end/tests/scenarios.spec.ts.
Feature: docassemble example interviews through Colloquy

  Scenario: Test the interview "Buttons variation two" second variation
    Given I start the interview "docassemble.base:data/questions/examples/buttons-variation-2.yml"
    Then I should see the phrase "What is your gender?"
    And I click the button "Female"
    Then I should see the phrase "You are Female."

  Scenario: Test the interview "Dropdown"
    Given I start the interview "docassemble.base:data/questions/examples/choices-dropdown.yml"
    Then I should see the phrase "What type of shoes do you wear?"
    And I choose "Sneakers"
    And I click the button "Continue"
    Then I should see the phrase "Result of question"
    And I should see the phrase "Sneakers"

  Scenario: Test the interview "Date"
    Given I start the interview "docassemble.base:data/questions/examples/date-field.yml"
    Then I should see the phrase "What is your date of birth?"
    And I set "Birthdate" to "04/01/1989"
    And I click the button "Continue"
    Then I should see the phrase "Result of question"
    And I should see the phrase "When inserted in into a question, target_variable looks like April 1, 1989."
    And I should see the phrase "For example, when you were one week old, the date was April 8, 1989."

  Scenario: Test the interview "None of the above default"
    Given I start the interview "docassemble.base:data/questions/examples/fields-checkboxes-nota.yml"
    Then I should see the phrase "Please tell me what you think."
    And I click the option "None of the above"
    And I set "What is your favorite fruit overall?" to "mango"
    And I click the button "Continue"
    Then I should see the phrase "'Peaches': False"
    And I should see the phrase "'Apples': False"
    And I should see the phrase "'Pears': False"

  Scenario: Test the interview "None of the above customized"
    Given I start the interview "docassemble.base:data/questions/examples/fields-mc-nota.yml"
    Then I should see the phrase "Please fill in the following information."
    And I click the button "Continue"
    Then I should see the phrase "Check at least one option, or check “Nothing at all”"
    And I click the option "Sunroof" under "Requested options"
    And I click the option "Automatic transmission" under "Requested options"
    And I click the option "Heated seats" under "Requested options"
    And I click the option "Nothing at all" under "Requested options"
    And I click the button "Continue"
    Then I should see the phrase "'Heated seats': False"
    And I should see the phrase "'Automatic transmission': False"
    And I should see the phrase "'Sunroof': False"

  Scenario: Test the interview "Yes/no/maybe within fields" with don't know
    Given I start the interview "docassemble.base:data/questions/examples/fields-yesnomaybe.yml"
    Then I should see the phrase "Please answer the following question."
    And I click the "I don’t know" option under "Is Topeka the capital of Kansas?"
    And I click the button "Continue"
    Then I should see the phrase "You should know your state capitals!"

  Scenario: Test the interview "Yes/no radio buttons" with pineapple
    Given I start the interview "docassemble.base:data/questions/examples/fields-yesnoradio.yml"
    Then I should see the phrase "Please provide the following information."
    And I click the "No" option under "Do you like apricots?"
    And I click the "Yes" option under "Do you like pineapple?"
    And I click the button "Continue"
    Then I should not see the phrase "You like apricots."
    Then I should not see the phrase "You do not like pineapple."

  Scenario: Test the interview "Yes means false"
    Given I start the interview "docassemble.base:data/questions/examples/noyes.yml"
    Then I should see the phrase "Are you at least 18 years of age?"
    And I click the button "Yes"
    Then I should see the phrase "user_is_minor is: “False”"

  Scenario: Test the interview "Signature"
    Given I start the interview "docassemble.base:data/questions/examples/signature.yml"
    And I wait 5 seconds
    Then I should see the phrase "Sign your name"
    And I click inside the signature area
    And I click the button "Continue"
    Then I should see the phrase "Result of question"

  Scenario: Test the interview "Text box rows"
    Given I start the interview "docassemble.base:data/questions/examples/text-box-field-rows.yml"
    Then I should see the phrase "Tell me the story of your life."
    And I set "Life Story" to "I was born in a bayou."
    And I click the button "Continue"
    Then I should see the phrase "Result of question"
    And I should see the phrase "I was born in a bayou."

  Scenario: Test the interview "Combobox" in fields with typing 1
    Given I start the interview "docassemble.base:data/questions/examples/choices-combobox.yml"
    Then I should see the phrase "What is your favorite color?"
    And I set the combobox text to "Orange"
    And I click the button "Continue"
    Then I should see the phrase "Your favorite color is Orange."

  Scenario: Test the interview "Back button inside question on some questions"
    Given I start the interview "docassemble.base:data/questions/examples/question-back-button-sometimes.yml"
    Then I should see the phrase "Are you doing well?"
    And I click the button "No"
    Then I should see the phrase "Is the sky blue?"
    And I click the button "Yes"
    Then I should see the phrase "Done with the interview."

  Scenario: Test the interview "From .md file"
    Given I start the interview "docassemble.base:data/questions/examples/document-file.yml"
    Then I should see the phrase "Your document is ready."
    And I should see the phrase "The following document has been created for you."
    And I click the link "Preview"
    And I wait 1 second
    Then I should see the phrase "Hello, world!"

  Scenario: Test the interview "Buttons that run code" with Toyota Camry
    Given I start the interview "docassemble.base:data/questions/examples/buttons-code.yml"
    Then I should see the phrase "What kind of car do you want?"
    And I click the button "Toyota Camry"
    Then I should see the phrase "You need to go to a Toyota dealership and ask if they have a Camry for sale."

  Scenario: Test the interview "Output formats"
    Given I start the interview "docassemble.base:data/questions/examples/valid-formats.yml"
    Then I should see the phrase "Your document is ready."
    And I should see the phrase "The following document has been created for you."
    And I should not see the phrase "RTF"
    And I click the link "Markdown"
    Then I should see the phrase "Hello, world!"

  Scenario: Test the interview "Question help button enabled" 1
    Given I start the interview "docassemble.base:data/questions/examples/question-help-button-off.yml"
    Then I should see the phrase "What is your favorite fruit?"
    And I should see the phrase "Huh?"
    And I set "Fruit" to "apple"
    And I click the button "Continue"
    Then I should see the phrase "What is your favorite color?"
    And I should see the phrase "More info"
    And I set "Color" to "red"
    And I click the button "Continue"
    Then I should see the phrase "What is your favorite vegetable?"
    And I should see the phrase "More info"
    And I set "Vegetable" to "turnip"
    And I click the button "Continue"
    Then I should see the phrase "Your favorite fruit is apple."
    And I should see the phrase "More info"

  Scenario: Test the interview "Question help button enabled" 2
    Given I start the interview "docassemble.base:data/questions/examples/question-help-button.yml"
    Then I should see the phrase "What is your favorite fruit?"
    And I should see the phrase "More info"
    And I click the button "Huh?"
    And I wait 1 second
    Then I should see the phrase "A fruit is a fleshy edible part of a plant that has seeds."
    And I click the button "Huh?"
    And I wait 1 second
    Then I should not see the phrase "A fruit is a fleshy edible part of a plant that has seeds."
    And I set "Fruit" to "apple"
    And I click the button "Continue"
    Then I should see the phrase "What is your favorite color?"
    And I should see the phrase "More info"
    And I click the button "Help"
    And I wait 1 second
    Then I should see the phrase "Every photon has a frequency, which determines its color."
    And I set "Color" to "red"
    And I click the button "Continue"
    Then I should see the phrase "What is your favorite vegetable?"
    And I should see the phrase "More info"
    And I set "Vegetable" to "turnip"
    And I click the button "Continue"
    Then I should see the phrase "Your favorite fruit is apple."
    And I should see the phrase "More info"


  Scenario: Test the interview "Hide login"
    Given I start the interview "docassemble.base:data/questions/examples/show-login.yml"
    Then I should not see the phrase "Sign in or sign up to save answers"

  Scenario: Test the interview "Return a value and show a message"
    Given I start the interview "docassemble.base:data/questions/examples/background_action_flash.yml"
    Then I should see the phrase "How much shall I add to 553?"
    And I set "Number" to "2"
    And I click the button "Continue"
    Then I should see the phrase "Your answer will appear shortly."
    And I wait 12 seconds
    Then I should see the phrase "The answer is 555."
    And I click the button "Continue"
    Then I should see the phrase "All done."
    And I should see the phrase "The answer is 555."

  Scenario: Test the interview "Action buttons"
    Given I start the interview "docassemble.base:data/questions/examples/action-buttons.yml"
    Then I should see the phrase "I will give you four apples."
    And I click the link " More"
    Then I should see the phrase "I will give you five apples"
    And I click the link " Less"
    Then I should see the phrase "I will give you four apples."
    And I click the button "Continue"
    Then I should see the phrase "Enjoy eating your four apples!"

  Scenario: Test the interview "Debug mode"
    Given I start the interview "docassemble.base:data/questions/examples/debug-mode.yml"
    Then I should not see the phrase "Source"
    And I click the button "Continue"
    Then I should see the phrase "Thanks for completing the interview!"
    And I should not see the phrase "Markdown"

  Scenario: Test the interview "Default screen parts" 1
    Given I start the interview "docassemble.base:data/questions/examples/default-screen-parts-override.yml"
    Then I should see the phrase "What is your favorite fruit?"
    And I should see the phrase "You all can just forget it, I am actually the under!!!"

  Scenario: Test the interview "Default screen parts" 2
    Given I start the interview "docassemble.base:data/questions/examples/default-screen-parts.yml"
    Then I should see the phrase "This interview was generously sponsored by Example, Inc."

  Scenario: Test the interview "Code screen parts"
    Given I start the interview "docassemble.base:data/questions/examples/setparts-demo.yml"
    Then I should see the phrase "This is the pre part."
    And I should see the phrase "This is the right part."
    And I should see the phrase "This is the under part."
    And I should see the phrase "This is the post part."
    And I should see the phrase "This is the submit part."
    And I set "Favorite fruit" to "apple"
    And I click the button "Continue button label"
    Then I should see the phrase "What is your favorite vegetable?"
    And I set "Favorite vegetable" to "turnip"
    And I click the button "Continue button label"
