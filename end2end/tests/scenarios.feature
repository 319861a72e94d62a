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

  Scenario: Test the interview "Disable back button" 1
    Given I start the interview "docassemble.base:data/questions/examples/prevent-back.yml"
    Then I should see the phrase "For what service would you like to apply?"
    And I click the option "Tutoring"
    And I click the button "Continue"
    Then I should see the phrase "Your application for Tutoring has been submitted."
    Then I should not see the phrase "Back"

  Scenario: Test the interview "Review answers" 1
    Given I start the interview "docassemble.base:data/questions/examples/review-1.yml"
    Then I should see the phrase "What is your favorite fruit?"
    And I set the text box to "orange"
    And I click the button "Continue"
    Then I should see the phrase "What is your favorite vegetable?"
    And I set the text box to "turnip"
    And I click the button "Continue"
    Then I should see the phrase "What is your favorite fungi?"
    And I set the text box to "button mushrooms"
    And I click the button "Continue"
    Then I should see the phrase "You like orange, turnip, and button mushrooms."
    And I select "Review Answers" from the menu
    Then I should see the phrase "These are the questions you have answered so far. Click to revisit."
    And I click the link "Favorite vegetable"
    Then I should see the phrase "What is your favorite vegetable?"
    And I set the text box to "potato"
    And I click the button "Continue"
    Then I should see the phrase "Revisit questions"
    And I click the button "Resume"
    Then I should see the phrase "You like orange, potato, and button mushrooms."

  Scenario: Test the interview "Error help" 2
    Given I start the possibly error-producing interview "docassemble.base:data/questions/examples/error-help.yml"
    Then I should explicitly see the phrase "We are sorry."

  Scenario: Test the interview "HTML on side"
    Given I start the interview "docassemble.base:data/questions/examples/side-html.yml"
    Then I should see the phrase "What is 2+2?"
    And I should see the phrase "Hint: 2 + 2 = 4."
    And I select "4" as the "Answer"
    And I click the button "Continue"
    Then I should see the phrase "You are brilliant!"

  Scenario: Test the interview "Progress bar with %"
    Given I start the interview "docassemble.base:data/questions/examples/progress-features-percentage.yml"
    Then I should see the phrase "Are you doing well?"
    And I should see the phrase "20%"
    And I click the button "Yes"
    Then I should see the phrase "Done with the interview."
    And I should see the phrase "I am glad you are doing well."

  Scenario: Test the interview "Back button inside question on some questions" with label
    Given I start the interview "docassemble.base:data/questions/examples/question-back-button-sometimes-label.yml"
    Then I should see the phrase "Are you doing well?"
    And I click the button "No"
    Then I should see the phrase "Is the sky blue?"
    And I should see the phrase "Wait, go back"
    And I click the button "Yes"
    Then I should see the phrase "Done with the interview."
    And I should not see the phrase "Wait, go back"

  Scenario: Test the interview "someone already mentioned"
    Given I start the interview "docassemble.base:data/questions/examples/someone-already-mentioned2.yml"
    Then I should see the phrase "Who is the successor agent?"
    And I set "First Name" to "Jöhn"
    And I set "Last Name" to "Smith"
    And I click the button "Continue"
    Then I should see the phrase "Who is the conservator?"
    And I select "Jöhn Smith" as the "Somebody already mentioned"
    And I click the button "Continue"
    Then I should see the phrase "Who is the guardian?"
    And I set "First Name" to "Sälly"
    And I set "Last Name" to "Jones"
    And I click the button "Continue"
    Then I should see the phrase "The successor agent is Jöhn Smith."
    And I should see the phrase "The conservator is Jöhn Smith."
    And I should see the phrase "The guardian is Sälly Jones."

  Scenario: Test the interview "Error action" 2
    Given I start the interview "docassemble.base:data/questions/examples/error-action.yml"
    Then I should see the phrase "This interview will encounter an error when you press Continue."
    And I click the button "Continue"
    Then I should see the phrase "Sorry, we have encountered an error."

  Scenario: Test the interview "Error action" 1
    Given I start the interview "docassemble.base:data/questions/examples/error-action-2.yml"
    Then I should see the phrase "What is your favorite fruit?"
    And I set "Fruit" to "apple"
    And I click the button "Continue"
    Then I should see the phrase "What is your favorite vegetable?"
    And I set "Vegetable" to "turnip"
    And I click the button "Continue"
    Then I should see the phrase "We encountered an error, so we did the best we could to fill out the document."

  Scenario: Test the interview "Chart"
    Given I start the interview "docassemble.base:data/questions/examples/chart.yml"
    Then I should see the phrase "How many computers do you have in your house?"
    And I click the button "Continue"
    Then I should see the phrase "How many books do you have in your house?"
    And I click the button "Continue"
    Then I should see the phrase "How many pets do you have in your house?"
    And I click the button "Continue"
    Then I should see the phrase "How many windows do you have in your house?"
    And I click the button "Continue"
    Then I should see the phrase "Your stuff"

  Scenario: Test the interview "Alter fields"
    Given I start the interview "docassemble.base:data/questions/examples/ajax-calc.yml"
    Then I should see the phrase "Let’s calculate some stuff."
    And I set "A" to "4"
    And I unfocus
    And I set "B" to "5"
    And I unfocus
    And I wait 4 seconds
    And I click the button "Continue"
    Then I should see the phrase "The correct answer is 20.0."

  Scenario: Test the interview "Update dropdown"
    Given I start the interview "docassemble.base:data/questions/examples/country-state.yml"
    Then I should see the phrase "Where do you live?"
    And I select "Portugal" as the "Country"
    And I wait 2 seconds
    And I select "Bragança" as the "State"
    And I click the button "Continue"
    Then I should see the phrase "You live in Bragança in Portugal."
    And I should see the phrase "Your country code is PT."
    And I should see the phrase "Your state code is 04."

  Scenario: Test the interview "Vocabulary" 3
    Given I start the interview "docassemble.base:data/questions/examples/terms.yml"
    Then I should see the phrase "Have you ever met a creeper?"
    And I should see the phrase "If you have met a zombie pigman, you have almost certainly met a creeper."
    And I click the link "creeper"
    And I wait 1 second
    Then I should see the phrase "A tall green creature that explodes if you get too close."
    And I unfocus
    And I wait 1 second
    Then I should not see the phrase "A tall green creature that explodes if you get too close."
    And I click the link "zombie pigman"
    And I wait 1 second
    Then I should see the phrase "A harmless creature who carries a gold sword."
    And I unfocus
    And I wait 1 second
    Then I should not see the phrase "A harmless creature who carries a gold sword."
    And I click the button "No"
    Then I should see the phrase "Thank you for telling me about your creeper experience."
    And I should see the phrase "You clearly need to play more Minecraft."

  Scenario: Test the interview "Collect" 3
    Given I start the interview "docassemble.base:data/questions/examples/list-collect-string.yml"
    Then I should see the phrase "Tell me about the fruit."
    And I click the button " Add another"
    And I wait 1 second
    And I set the second "Fruit name" to "orange"
    And I click the button "Continue"
    Then I should see the phrase "Summary of fruit"
    And I should see the phrase "apple"
    And I should see the phrase "orange"
    And I click the first link " Edit"
    Then I should see the phrase "Tell me about the fruit."
    And I set the first "Fruit name" to "peach"
    And I click the button "Continue"
    Then I should see the phrase "Summary of fruit"
    And I should see the phrase "peach"
    And I should see the phrase "orange"
    And I should not see the phrase "apple"

  Scenario: Test the interview "None of the above off"
    Given I start the interview "docassemble.base:data/questions/examples/fields-checkboxes-nota-false.yml"
    Then I should see the phrase "Please tell me what you think."
    And I should not see the phrase "None of the above"
    And I set "What is your favorite fruit overall?" to "mango"
    And I click the button "Continue"
    Then I should see the phrase "'Peaches': False"
    And I should see the phrase "'Apples': False"
    And I should see the phrase "'Pears': False"

  Scenario: Test the interview "Help with question" 2
    Given I start the interview "docassemble.base:data/questions/examples/help.yml"
    Then I should see the phrase "What is 2+2?"
    And I go to the help screen
    Then I should see the phrase "Hint: 2 + 2 = 4."
    And I go back to the question screen
    And I click the "4" option
    And I click the button "Continue"
    Then I should see the phrase "You are brilliant!"

  Scenario: Test the interview "Template"
    Given I start the interview "docassemble.base:data/questions/examples/template-show.yml"
    Then I should see the phrase "Welcome to the interview!"
    And I should see the phrase "The opinions expressed herein do not necessarily reflect the views of ABC Widgets, Incorporated."
    And I click the button "Continue"
    Then I should see the phrase "This is the end of the interview."

  Scenario: Test the interview "Actions demonstration"
    Given I start the interview "docassemble.base:data/questions/examples/force-ask-forget-prior.yml"
    Then I should see the phrase "First page"
    And I click the link "Go to second page"
    Then I should see the phrase "Second page"
    And I click the link "Go to third page"
    Then I should see the phrase "Third page"
    And I click the link "Ask about food"
    Then I should see the phrase "What is your favorite fruit?"
    And I set "Favorite fruit" to "apple"
    And I click the button "Continue"
    Then I should see the phrase "What is your favorite vegetable?"
    And I set "Favorite vegetable" to "potato"
    And I click the button "Continue"
    Then I should see the phrase "Third page"
    And I click the link "Ask about food with forget prior"
    Then I should see the phrase "What is your favorite fruit?"
    And I click the button "Continue"
    Then I should see the phrase "What is your favorite vegetable?"
    And I click the button "Continue"
    Then I should see the phrase "First page"

  Scenario: Test the interview "Object radio buttons" 1
    Given I start the interview "docassemble.base:data/questions/examples/object-radio-nota.yml"
    Then I should see the phrase "Who is the villain?"
    And I click the "Someone else" option
    And I wait 1 second
    And I set "First name" to "John"
    And I set "Last name" to "Smith"
    And I click the button "Continue"
    Then I should see the phrase "John Smith will surely be defeated!"

  Scenario: Test the interview "Object radio buttons, picking existing object"
    Given I start the interview "docassemble.base:data/questions/examples/object-radio-nota.yml"
    Then I should see the phrase "Who is the villain?"
    And I click the "Harry Potter" option
    And I click the button "Continue"
    Then I should see the phrase "Harry Potter will surely be defeated!"

  Scenario: Test the interview "Empty choices list" with empty list
    Given I start the interview "docassemble.base:data/questions/examples/empty-choices-checkboxes.yml"
    Then I should see the phrase "Should the list of choices for the checkboxes field be empty?"
    And I click the button "Yes"
    Then I should not see the phrase "Door Number 1"
    And I set "Favorite fruit" to "äpples"
    And I click the button "Continue"
    Then I should see the phrase "No doors could be chosen."

  Scenario: Test the interview "Empty choices list in fields" with empty choices 3
    Given I start the interview "docassemble.base:data/questions/examples/empty-choices-fields.yml"
    Then I should see the phrase "Should the list of choices for the radio field be empty?"
    And I click the button "Yes"
    Then I should not see the phrase "Door Number 1."
    And I set "Fruit" to "äpples"
    And I click the button "Continue"
    Then I should see the phrase "door is None."

  Scenario: Test the interview "Dispatch" 1
    Given I start the interview "docassemble.base:data/questions/examples/dispatch-track.yml"
    Then I should see the phrase "Main menu"
    And I click the button "Apple"
    Then I should see the phrase "Apple screen"
    And I click the button "Continue"
    Then I should see the phrase "Main menu"
    And I click the button "Continue"
    Then I should see the phrase "All done."
    And I should see the phrase "You visited the apple menu."
    And I should not see the phrase "You visited the orange menu."

  Scenario: Test the interview "Action buttons code"
    Given I start the interview "docassemble.base:data/questions/examples/action-buttons-code.yml"
    Then I should see the phrase "What is your favorite fruit?"
    And I set "Fruit" to "apple"
    And I click the button "Continue"
    Then I should see the phrase "Thank you for that information."
    And I click the link "Eat apple"
    Then I should see the phrase "Nom nom nom."
    And I click the button "Continue"
    Then I should see the phrase "This concludes the interview."

  Scenario: Test the interview "Nested checkbox show if"
    Given I start the interview "docassemble.base:data/questions/examples/showif-nested-checkbox.yml"
    Then I should see the phrase "Please fill in the following information."
    Then I should not see the phrase "Do you like apples?"
    Then I should not see the phrase "Favorite varieties"
    Then I should not see the phrase "Why do you like Fuji apples?"
    And I click the "Yes" option under "Do you like fruit?"
    And I wait 1 second
    Then I should not see the phrase "Favorite varieties"
    Then I should not see the phrase "Why do you like Fuji apples?"
    And I click the "Yes" option under "Do you like apples?"
    And I wait 1 second
    Then I should not see the phrase "Why do you like Fuji apples?"
    And I click the "Gala" option under "Favorite varieties"
    And I wait 1 second
    Then I should not see the phrase "Why do you like Fuji apples?"
    And I click the "Fuji" option under "Favorite varieties"
    And I wait 1 second
    And I set "Why do you like Fuji apples?" to "because they are good in pies"
    And I click the button "Continue"

  Scenario: Test the interview "Show fields with JavaScript"
    Given I start the interview "docassemble.base:data/questions/examples/jsshowif.yml"
    Then I should see the phrase "Please fill in the following information."
    And I should not see the phrase "Favorite fungus"
    And I set "Favorite fruit" to "apple"
    And I unfocus
    And I wait 1 second
    Then I should see the phrase "Favorite fungus"
    And I set "Favorite fruit" to "mango"
    And I unfocus
    And I wait 1 second
    Then I should not see the phrase "Favorite fungus"
    And I should not see the phrase "Favorite spice"
    And I set "Favorite fruit" to "banana"
    And I unfocus
    And I wait 1 second
    Then I should see the phrase "Favorite spice"
    And I set "Favorite vegetable" to "potato"
    And I set "Favorite spice" to "coriander"
    And I click the button "Continue"
    Then I should see the phrase "Please fill in the following information."
    And I should not see the phrase "Favorite dish"
    And I select "Chinese food" as the "Favorite cuisine"
    And I wait 1 second
    Then I should see the phrase "Favorite dish"
    And I set "Favorite dish" to "lo mein"
    And I click the button "Continue"
    Then I should see the phrase "Please fill in the following information."
    And I should not see the phrase "Favorite TV show"
    And I should not see the phrase "Favorite radio station"
    And I should not see the phrase "Favorite modulation type"
    And I should not see the phrase "Favorite antenna style"
    And I click the option "Yes" under "Do you watch TV?"
    And I wait 1 second
    And I set "Favorite TV show" to "Chips"
    And I click the option "I listen to the radio"
    And I wait 1 second
    Then I should see the phrase "Favorite radio station"
    And I should see the phrase "Favorite modulation type"
    And I set "Favorite radio station" to "WABC"
    And I click the option "AM" under "Favorite modulation type"
    And I wait 1 second
    Then I should not see the phrase "Favorite antenna style"
    And I click the option "FM" under "Favorite modulation type"
    And I wait 1 second
    Then I should see the phrase "Favorite antenna style"
    And I set "Favorite antenna style" to "rooftop"
    And I click the button "Continue"
    Then I should see the phrase "Please fill in the following information."
    And I should not see the phrase "Favorite way to eat apples and plums"
    And I click the option "Apple" under "Select the fruits you like"
    And I wait 1 second
    Then I should not see the phrase "Favorite way to eat apples and plums"
    And I click the option "Plum" under "Select the fruits you like"
    And I wait 1 second
    Then I should see the phrase "Favorite way to eat apples and plums"
    And I click the option "Plum" under "Select the fruits you like"
    And I wait 1 second
    Then I should not see the phrase "Favorite way to eat apples and plums"
    And I click the button "Continue"
    Then I should see the phrase "Thank you for that information."
    And I should see the phrase "You like banana, Chinese food."
    And I should see the phrase "Your favorite TV show is Chips."
    And I should see the phrase "Your favorite radio station is WABC."
    And I should see the phrase "You like Apple."

  Scenario: Test the interview "Collect two"
    Given I start the interview "docassemble.base:data/questions/examples/list-collect-disable-others.yml"
    Then I should see the phrase "Tell me about the fruit."
    And I select "Orange" as the first "Fruit name"
    And I select "Grapefruit" as the second "Fruit name"
    And I click the button "Continue"
    Then I should see the phrase "Summary of fruit"
    And I should see the phrase "10"

  Scenario: Test the interview "Collect"
    Given I start the interview "docassemble.base:data/questions/examples/list-collect-uncheck-others.yml"
    And I click the first option "Sweet"
    And I click the first option "Neither"
    And I unfocus
    And I wait 1 second
    And I click the second button " Delete"
    And I wait 1 second
    And I click the button "Continue"
    Then I should see the phrase "Summary of fruit"
    Then I should not see the phrase "Sweet"

  Scenario: Test the interview "Images with attribution"
    Given I start the interview "docassemble.base:data/questions/examples/image-sets.yml"
    Then I should see the phrase "Icon made by Freepik"

  Scenario: Test the interview "Manual Attachment List"
    Given I start the interview "docassemble.base:data/questions/examples/manual-attachment-list.yml"
    Then I should see the phrase "Here is your document."
    And I should see the phrase "Praecipe to Discontinue"
    And I should not see the phrase "The following document has been created for you."
    And I should see the phrase "E-mail this document"
