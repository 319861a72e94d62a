Feature: The demo interviews, played by visible text
  `colloquy scenarios interviews/docassemble/colloquydemo/data/sources/demo.feature
  --packages interviews` runs these without a browser; they use docassemble's step phrases.

  Scenario: Hello greets by name
    Given I start the interview "docassemble.colloquydemo:data/questions/hello.yml"
    Then I should see the phrase "What is your name?"
    And I set "Name" to "Ada"
    And I click the button "Continue"
    Then I should see the phrase "Do you like turnips?"
    When I click the button "No"
    Then I should see the phrase "Hello, Ada!"
    And I should see the phrase "You do not like turnips."
    And I should not see the phrase "You like turnips."

  Scenario: Back goes to the previous question
    Given I start the interview "docassemble.colloquydemo:data/questions/hello.yml"
    And I set "Name" to "Ada"
    And I click the button "Continue"
    When I click the back button
    Then I should see the phrase "What is your name?"
    And I set "Name" to "Grace"
    And I click the button "Continue"
    And I click the button "Yes"
    Then I should see the phrase "Hello, Grace!"
    And I should see the phrase "You like turnips."

  Scenario: A required field must be filled
    Given I start the interview "docassemble.colloquydemo:data/questions/hello.yml"
    When I click the button "Continue"
    Then I should see the phrase "This field is required."
    And I should see the phrase "What is your name?"

  Scenario: Buttons, continue screens and choices
    Given I start the interview "docassemble.colloquydemo:data/questions/buttons.yml"
    Then I should see the phrase "Welcome to the buttons interview"
    And I click the button "Continue"
    And I click the button "Yes"
    And I click the button "No"
    And I click the button "I don’t know"
    And I click the button "Pie"
    And I click the option "Juice"
    And I click the button "Continue"
    Then I should see the phrase "Dessert: pie."
    And I should see the phrase "Drink: juice."

  Scenario: Show if follows the form
    Given I start the interview "docassemble.colloquydemo:data/questions/show-if.yml"
    And I click the button "No"
    Then I should see the phrase "About your pets and fruit"
    And I should not see the phrase "Pet name"
    When I click the option "Other" under "Favorite fruit"
    Then I should see the phrase "Other fruit"
    And I set "Other fruit" to "Kiwi"
    And I click the button "Continue"
    Then I should see the phrase "Other fruit: Kiwi."
