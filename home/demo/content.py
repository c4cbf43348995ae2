"""The seed case, in English, as the editor wrote it.

Translations of every string below live in ``translations/<language>.po``,
keyed by the English text, and are applied through wagtail-localize.
"""

import datetime

STATUSES = [
    # (slug, name, is_final)
    ("attacked", "Attacked", False),
    ("detained", "Detained", False),
    ("administrative-charges", "Administrative charges", False),
    ("criminal-charges", "Criminal charges", False),
    ("on-trial", "On trial", False),
    ("sentenced", "Sentenced", False),
    ("released", "Released", True),
    ("case-closed", "Case closed", True),
]

HOME_TITLE = "Urgent actions"
HOME_INTRODUCTION = (
    "Human rights defenders are attacked, detained and charged for their peaceful work. "
    "Read their cases and write to the authorities on their behalf."
)

INDEX_TITLE = "Cases"
INDEX_INTRODUCTION = "Every case we follow, with its latest status."

CASE_SLUG = "igor-kalyapin"
CASE_TITLE = "Take action for Igor Kalyapin"
CASE_STATUS = "administrative-charges"
DEFENDER_NAME = "Igor Kalyapin"
DEFENDER_ORGANISATION = "Committee for Prevention of Torture (CPT) and Joint Mobile Group (JMG)"
DEFENDER_ROLE = "Chairman of the CPT and head of the JMG"
SUMMARY = (
    "Human rights defender Igor Kalyapin was attacked by a group of masked men in Grozny "
    "on 16 March 2016, a day after police raided the office of the Joint Mobile Group."
)

INCIDENT_ATTACK = {
    "date": datetime.date(2016, 3, 16),
    "place": "Grozny, Chechen Republic",
    "narrative": [
        "On 16 March 2016, Igor Kalyapin travelled to Grozny, where he had meetings with "
        "journalists. An hour after checking in at the Grozny City Hotel, the hotel manager "
        "informed the human rights defender that he had to leave immediately as people who "
        "criticised Ramzan Kadyrov, the leader of the Chechen Republic, were not welcome there. "
        "When Igor Kalyapin left and walked out onto the street, he was attacked by a group of "
        "about 15 masked men. The attackers punched him and threw chemicals, eggs and flour at "
        "him, before fleeing. The human rights defender did not suffer any serious injuries as "
        "a result of the attack.",
        "When police appeared at the scene, they took Igor Kalyapin to the police station where "
        "his statement was recorded and his clothing photographed. Police officers, however, "
        "refused to open a criminal case related to the attack. Subsequently, a federal "
        "investigator came to the police station at Igor Kalyapin’s request, so that he could "
        "safely leave the territory of the Chechen Republic under his supervision.",
    ],
}

INCIDENT_RAID = {
    "date": datetime.date(2016, 3, 15),
    "place": "Grozny, Chechen Republic",
    "narrative": [
        "Late on 15 March 2016, the office of the JMG, located in the former apartment of "
        "Natalia Estemirova in Grozny, was raided by police officers. Upon arrival, the police "
        "ordered all of the neighbours to leave their apartments, then broke the lock on the "
        "door to the office, and proceeded to search it before leaving, sealing the door as "
        "they did. The door to the office remains sealed. It is unclear whether anything was "
        "taken from the office by the police.",
    ],
}

BACKGROUND_HEADING = "About Igor Kalyapin"
BACKGROUND = [
    "Igor Kalyapin is chairman of the Committee for Prevention of Torture (CPT), an "
    "interregional human rights organisation which carries out public investigations, "
    "represents the interests of torture victims before national and international courts and "
    "government agencies, and provides assistance to victims in obtaining compensation and "
    "medical rehabilitation.",
    "In November 2009, following the murder of human rights defender Ms Natalia Estemirova, the "
    "JMG was established by the CPT, together with several other human rights organisations, to "
    "provide victims of human rights abuses in Chechnya with legal aid. Igor Kalyapin currently "
    "serves as the group’s head.",
]

RECIPIENT = {
    "salutation": "Your Excellency,",
    "title": "Minister",
    "name": "Sergei Lavrov",
    "position": "",
    "organisation": "Ministry of Foreign Affairs",
    "address_lines": ["Smolenskaya-Sennaya pl. 32/34"],
    "postcode": "119200",
    "city": "Moscow",
    "country": "Russian Federation",
    "phone": "+7 495 644 2203",
    "fax": "",
    "email": "",
}

DEMANDS_INTRODUCTION = "I urge the authorities in Russia to:"
DEMANDS = [
    "Carry out an immediate, thorough and impartial investigation into the attack on Igor "
    "Kalyapin and raid on the office of Joint Mobile Group, with a view to publishing the "
    "results and bringing those responsible to justice in accordance with international "
    "standards;",
    "Take all necessary measures to guarantee the physical and psychological integrity and "
    "security of Igor Kalyapin and other members of Joint Mobile Group and Committee for "
    "Prevention of Torture;",
    "Guarantee in all circumstances that all human rights defenders in Russia are able to carry "
    "out their legitimate human rights activities without fear of reprisals and free of all "
    "restrictions.",
]

APPEAL = {
    "heading": "Write to Minister Lavrov",
    "introduction": (
        "Add your name to this letter. We deliver every signature to the Ministry of Foreign "
        "Affairs of the Russian Federation."
    ),
    "paragraphs": [
        "On 16 March 2016, human rights defender Mr Igor Kalyapin, head of the Joint Mobile "
        "Group (JMG), was attacked by a group of approximately 15 unidentified masked men "
        "during a visit to Grozny, the capital of the Chechen Republic. On the previous day, "
        "the office of the JMG in Grozny was raided by the police.",
        "I am concerned about the attack on Igor Kalyapin and raid on the office of the Joint "
        "Mobile Group, which I believe to be directly linked to the peaceful and legitimate "
        "work of JMG and CPT for the protection of victims of torture in the Chechen Republic.",
    ],
    "closing": "Yours sincerely,",
    "goal": 5000,
}

UPDATES = [
    {
        "date": datetime.date(2016, 3, 16),
        "status": "attacked",
        "text": (
            "Igor Kalyapin was attacked outside his hotel in Grozny. Police refused to open a "
            "criminal case into the attack."
        ),
    },
]

# The privacy notice signers are shown beside the consent box. It must say what the
# plugin really does: what a signature stores, what reaches the authorities, what never
# does, how long it is kept (APPEALS_CONFIRMATION_MAX_AGE: 7 days), and how to withdraw.
PRIVACY_SLUG = "privacy"
PRIVACY_TITLE = "Privacy notice"
PRIVACY_ADDRESS = "privacy@appeals.example"
PRIVACY_BODY = [
    # (tag, text), or ("ul", [items])
    (
        "p",
        "This notice explains what we keep when you sign one of our appeals, who receives it, "
        "and for how long. We ask only for what a letter to the authorities needs.",
    ),
    ("h2", "What we store when you sign"),
    (
        "ul",
        [
            "Your name",
            "Your e-mail address",
            "Your country, and your town if you give it",
            "Your personal message, if you write one",
            "The language you signed in, and your choices: to be kept informed about the case, "
            "and to have your first name shown publicly",
            "The version of this notice you agreed to, and the time you signed and confirmed",
        ],
    ),
    (
        "p",
        "Your IP address is never stored in clear. To stop abuse, we count submissions from "
        "each network under a keyed hash from which the address cannot be read back; these "
        "counts are forgotten after an hour and are never linked to your signature.",
    ),
    ("h2", "What reaches the authorities"),
    (
        "p",
        "We deliver the letter you signed to the authorities it is addressed to, with your "
        "name, your town and your country, and your personal message if you wrote one.",
    ),
    ("h2", "What never reaches them and is never published"),
    (
        "p",
        "Your e-mail address and your IP address never reach the authorities and are never "
        "published. We do not sell, rent or give your data to anyone.",
    ),
    (
        "p",
        "If you choose to appear in an appeal’s public list of signers, your first name and "
        "your country are shown there. Nothing else about you is ever published.",
    ),
    ("h2", "Why we ask for your e-mail address"),
    (
        "p",
        "We send you an e-mail with a link to confirm your signature, so that no one can sign "
        "in your name. Only confirmed signatures are counted, shown or delivered. If you asked "
        "to be kept informed, we also write to you about the case.",
    ),
    ("h2", "How long we keep it"),
    (
        "ul",
        [
            "A signature that is not confirmed is deleted when its link expires, seven days "
            "after you signed.",
            "A confirmed signature is kept until the appeal is delivered and closed.",
        ],
    ),
    ("h2", "If signing could put you at risk"),
    (
        "p",
        "The authorities receive your name, your town and your country. If that could put you "
        "in danger where you live, think carefully before you sign. The town is optional: you "
        "may leave it empty.",
    ),
    ("h2", "Your rights, and how to withdraw"),
    (
        "p",
        "You may ask at any time to see what we hold about you, to correct it, or to withdraw "
        f"your signature and have your data erased. Write to {PRIVACY_ADDRESS} from the "
        "address you signed with, and name the appeal. We answer within one month.",
    ),
    (
        "p",
        "A letter already delivered cannot be recalled from the authorities, but we erase "
        "everything we still hold about you.",
    ),
]
