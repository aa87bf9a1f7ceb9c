"""Food table values that come from sources other than the SR28 abbreviated file, checked
against the records they were transcribed from.

Every expected literal below was copied from the source named in its row, not from the
table:

- FDC IDs: the FoodData Central SR Legacy JSON release 2021-10-28 (public extract; each
  record's ``fdcId``, ``ndbNumber`` and ``description``), reference ``usda-fdc-sr-legacy``.
- FDC IDs matched without an NDB column (reference ``usda-fdc-sr-legacy-csv``): a public
  copy of the SR Legacy CSV tables; each ID's ``food.csv`` description (as printed in the
  copy) and its ``food_nutrient`` rows for protein (1003), calcium (1087), magnesium (1090),
  vitamin D2 + D3 (1114) and phylloquinone (1185).
- Vitamin D2/D3 and menaquinone-4: the SR Legacy ``food_nutrient`` rows of nutrients 1111
  (Vitamin D2 (ergocalciferol), SR 325), 1112 (Vitamin D3 (cholecalciferol), SR 326) and 1183
  (Vitamin K (Menaquinone-4), SR 428) for the given FDC ID, with the row's own id.
- Menaquinones: the abstracts of Kamao et al. 2007 (natto MK-7) and Fu et al. 2017
  (total vitamin K of US dairy foods).
"""

from __future__ import annotations

import pytest

from d3k2.knowledge.base import default_knowledge_base
from d3k2.knowledge.foods import NUTRIENT_KEYS, FoodTable


@pytest.fixture(scope="module")
def foods() -> FoodTable:
    return default_knowledge_base().foods


# (food id, NDB number of the table's record, FDC ID, FDC description) from the FDC
# SR Legacy JSON records; the description is checked by eye against the SR28 one.
FDC_SAMPLES = [
    ("milk_whole", "NDB 01077", 171265, "Milk, whole, 3.25% milkfat, with added vitamin D"),
    ("milk_skim_calcium_fortified", "NDB 42290", 169868, "Milk, fluid, nonfat, calcium fortified"),
    ("yogurt_greek_plain_nonfat", "NDB 01256", 170894, "Yogurt, Greek, plain, nonfat"),
    ("egg_whole_raw", "NDB 01123", 171287, "Egg, whole, raw, fresh"),
    ("egg_hard_boiled", "NDB 01129", 173424, "Egg, whole, cooked, hard-boiled"),
    ("egg_white_raw", "NDB 01124", 172183, "Egg, white, raw, fresh"),
    ("almond_drink_unsweetened", "NDB 14091", 174832, "Beverages, almond milk, unsweetened"),
    ("spinach_raw", "NDB 11457", 168462, "Spinach, raw"),
    ("broccoli_raw", "NDB 11090", 170379, "Broccoli, raw"),
    ("potato_baked", "NDB 11674", 170093, "Potatoes, baked, flesh and skin, without salt"),
    ("salmon_atlantic_farmed_cooked", "NDB 15237", 175168, "Fish, salmon, Atlantic, farmed"),
    ("tuna_light_canned_water", "NDB 15121", 173709, "Fish, tuna, light, canned in water"),
    ("chicken_breast_roasted", "NDB 05064", 171477, "Chicken, broilers or fryers, breast"),
    ("beef_ground_93", "NDB 23472", 173110, "Beef, ground, 93% lean meat / 7% fat, raw"),
    ("blueberries_raw", "NDB 09050", 171711, "Blueberries, raw"),
    ("bananas", "NDB 09040", 173944, "Bananas, raw"),
    ("avocado", "NDB 09037", 171705, "Avocados, raw, all commercial varieties"),
    ("apples", "NDB 09003", 171688, "Apples, raw, with skin"),
    ("rice_brown_cooked", "NDB 20037", 169704, "Rice, brown, long-grain, cooked"),
]


# (food id, NDB number of the table's record, FDC ID, description in the CSV copy's food.csv).
# No NDB column in that copy: each match also needs the five values of
# test_matched_fdc_ids_agree_with_the_records_values (checked there for a sample).
FDC_MATCHED = [
    ("milk_goat", "NDB 01106", 171278, "Milk, goat"),
    ("milk_sheep", "NDB 01109", 170882, "Milk, sheep"),
    ("milk_human", "NDB 01107", 171279, "Milk, breast"),
    ("milk_condensed", "NDB 01095", 171275, "Milk, sweetened condensed"),
    ("yogurt_plain_whole", "NDB 01116", 171284, "Yogurt"),
    ("cheese_cheddar", "NDB 01009", 173414, "Cheese, cheddar"),
    ("cheese_blue", "NDB 01004", 172175, "Blue cheese"),
    ("cheese_brie", "NDB 01006", 172177, "Brie"),
    ("cheese_camembert", "NDB 01007", 172178, "Camembert"),
    ("cheese_colby", "NDB 01011", 173416, "Colby cheese"),
    ("cheese_edam", "NDB 01018", 173419, "Edam cheese"),
    ("cheese_feta", "NDB 01019", 173420, "Feta cheese"),
    ("cheese_gouda", "NDB 01022", 171241, "Gouda cheese"),
    ("cheese_gruyere", "NDB 01023", 171242, "Gruyère cheese"),
    ("cheese_monterey", "NDB 01025", 170844, "Monterey Jack cheese"),
    ("cheese_mozzarella_whole", "NDB 01026", 170845, "Mozzarella cheese"),
    ("cheese_mozzarella_part_skim", "NDB 01028", 170847, "Mozzarella cheese, part-skim"),
    ("cheese_muenster", "NDB 01030", 171245, "Muenster cheese"),
    ("cheese_parmesan_grated", "NDB 01032", 171247, "Parmesan cheese, grated"),
    ("cheese_parmesan_hard", "NDB 01033", 170848, "Parmesan cheese"),
    ("cheese_provolone", "NDB 01035", 170850, "Provolone cheese"),
    ("cheese_ricotta_part_skim", "NDB 01037", 171248, "Ricotta cheese, part-skim"),
    ("cheese_romano", "NDB 01038", 171249, "Romano cheese"),
    ("cheese_swiss", "NDB 01040", 171251, "Swiss cheese"),
    ("cheese_cream", "NDB 01017", 173418, "Cream cheese"),
    ("cheese_cottage_creamed", "NDB 01012", 172179, "Cottage cheese"),
    ("cheese_cottage_1pct", "NDB 01016", 173417, "Cottage cheese, low-fat, 1%"),
    ("butter_salted", "NDB 01001", 173410, "Butter, salted"),
    ("cream_sour", "NDB 01056", 171257, "Sour cream"),
    ("egg_scrambled", "NDB 01132", 172187, "Eggs, scrambled"),
    ("egg_yolk_raw", "NDB 01125", 172184, "Egg yolk"),
    ("egg_duck", "NDB 01138", 172189, "Egg, duck"),
    ("mackerel_atlantic_raw", "NDB 15046", 175119, "Mackerel, atlantic, raw"),
    ("mackerel_jack_canned", "NDB 15048", 175121, "Mackerel, jack, canned"),
    ("herring_atlantic_raw", "NDB 15039", 175116, "Herring, atlantic, raw"),
    ("herring_pickled", "NDB 15041", 175118, "Herring, atlantic, pickled"),
    ("tuna_bluefin_raw", "NDB 15117", 173706, "Tuna, raw"),
    ("trout_rainbow_farmed_raw", "NDB 15240", 173717, "Trout, rainbow, farmed, raw"),
    ("trout_rainbow_farmed_cooked", "NDB 15241", 173718, "Trout, rainbow, farmed"),
    ("chicken_liver_raw", "NDB 05027", 171060, "Chicken liver, raw"),
    ("chicken_liver_simmered", "NDB 05028", 171061, "Chicken liver, simmered"),
    # third pass (issue 12): the same five-value check, every value below in MATCH_ROWS
    ("milk_1pct", "NDB 01082", 170872, "Milk, 1%"),
    ("milk_skim_unfortified", "NDB 01151", 173432, "Milk, skim"),
    ("milk_chocolate", "NDB 01102", 170879, "Chocolate milk, whole"),
    ("kefir_lowfat_plain", "NDB 01289", 170904, "Kefir, low-fat"),
    ("cream_heavy", "NDB 01053", 170859, "Cream, heavy whipping"),
    ("cheese_cheddar_sliced", "NDB 01270", 170899, "Cheese, sharp cheddar, sliced"),
    ("cheese_goat_semisoft", "NDB 01157", 173433, "Goat cheese, semi-soft"),
    ("cheese_goat_soft", "NDB 01159", 173435, "Goat cheese, soft"),
    ("mustard_greens_cooked", "NDB 11271", 169257, "Mustard greens"),
    ("lettuce_green_leaf", "NDB 11253", 169249, "Lettuce, green leaf"),
    ("mushrooms_white_raw", "NDB 11260", 169251, "Mushrooms, raw"),
    ("mushrooms_crimini_raw", "NDB 11266", 168434, "Mushrooms, crimini, raw"),
    ("mushrooms_portabella_raw", "NDB 11265", 169255, "Mushrooms, portabella, raw"),
    ("mushrooms_shiitake_dried", "NDB 11268", 168436, "Mushrooms, shiitake, dried"),
    ("salmon_atlantic_farmed_raw", "NDB 15236", 175167, "Salmon, atlantic, farmed, raw"),
    ("tuna_white_canned_water", "NDB 15126", 175158, "Canned white tuna"),
    ("cod_pacific_raw", "NDB 15019", 174191, "Fish, pacific cod, raw"),
    ("halibut_raw", "NDB 15036", 174200, "Halibut, Atlantic/Pacific, raw"),
    ("cod_liver_oil", "NDB 04589", 173577, "Cod liver oil"),
    ("beef_liver_raw", "NDB 13325", 169451, "Beef liver, raw"),
    ("beef_liver_braised", "NDB 13326", 168626, "Beef liver, braised"),
    ("collards_raw", "NDB 11161", 170406, "Collard greens, raw"),
    ("collards_cooked", "NDB 11162", 170407, "Collard greens"),
    ("parsley_fresh", "NDB 11297", 170416, "Parsley"),
    ("lettuce_romaine", "NDB 11251", 169247, "Lettuce"),
    ("lettuce_iceberg", "NDB 11252", 169248, "Lettuce, iceberg"),
    # fourth pass (issue 12): same check; descriptions from the copy's food.csv (a name
    # from its first version, commit 6f2c8c5, where later versions shift names between IDs)
    ("herring_kippered", "NDB 15042", 173668, "Herring, atlantic, kippered"),
    ("miso", "NDB 16112", 172442, "Miso"),
    ("natto", "NDB 16113", 172443, "Natto"),
    ("tofu_firm_calcium", "NDB 16126", 172448, "Tofu, firm"),
    ("mushrooms_shiitake_raw", "NDB 11238", 169242, "Mushrooms, shiitake, raw"),
    ("mushrooms_chanterelle_raw", "NDB 11239", 168422, "Mushrooms, chanterelle"),
    ("mushrooms_morel_raw", "NDB 11240", 168423, "Mushrooms, morel"),
    ("spinach_cooked", "NDB 11458", 168463, "Spinach, boiled"),
    ("leeks_raw", "NDB 11246", 169246, "Leeks"),
    ("cabbage_red_raw", "NDB 11112", 169977, "Red Cabbage"),
    ("chard_raw", "NDB 11147", 169991, "Swiss Chard"),
    ("turnip_greens_cooked", "NDB 11569", 170466, "Turnip Greens (cooked)"),
    ("cashews_dry_roasted", "NDB 12085", 170571, "Cashews, dry roasted"),
    ("almonds", "NDB 12061", 170567, "Almonds"),
    ("brazil_nuts", "NDB 12078", 170569, "Brazil nuts, dried"),
    ("walnuts", "NDB 12155", 170187, "Walnuts, english, raw"),
    ("tahini", "NDB 12166", 170189, "Tahini"),
    ("yogurt_plain_lowfat", "NDB 01117", 170886, "Yogurt, low-fat"),
    ("yogurt_plain_skim", "NDB 01118", 170887, "Yogurt, nonfat"),
    ("salmon_sockeye_cooked", "NDB 15086", 173692, "Salmon, sockeye"),
    ("tofu_extra_firm_nigari", "NDB 16159", 174290, "Tofu, extra firm"),
    ("soybeans_mature_raw", "NDB 16108", 174270, "Soybeans, raw"),
    ("soybeans_mature_cooked", "NDB 16109", 174271, "Soybeans"),
    ("tempeh", "NDB 16114", 174272, "Tempeh, raw"),
    ("mussels_raw", "NDB 15164", 174216, "Blue mussel, raw"),
    ("sesame_seeds_whole", "NDB 12023", 170150, "Sesame seeds, whole"),
    ("brussels_sprouts_raw", "NDB 11098", 170383, "Brussels Sprouts (uncooked)"),
    ("chia_seeds", "NDB 12006", 170554, "Chia seeds"),
    ("sunflower_seeds", "NDB 12036", 170562, "Sunflower seeds, dried"),
    ("cabbage_raw", "NDB 11109", 169975, "Cabbage"),
    ("watercress_raw", "NDB 11591", 170068, "Watercress, raw"),
    ("dandelion_greens_raw", "NDB 11207", 169226, "Dandelion greens, raw"),
    # fifth pass (issue 12): same check, whole food_nutrient block read
    ("hazelnuts", "NDB 12120", 170581, "Hazelnuts"),
    ("arugula_raw", "NDB 11959", 169387, "Arugula"),
    ("amaranth_leaves_raw", "NDB 11003", 168385, "Amaranth Leaves"),
    ("asparagus_raw", "NDB 11011", 168389, "Asparagus"),
    ("flaxseed", "NDB 12220", 169414, "Flaxseeds"),
    ("edamame", "NDB 11212", 168411, "Edamame"),
    ("endive_raw", "NDB 11213", 168412, "Endive"),
    ("cucumber_with_peel", "NDB 11205", 168409, "Cucumber"),
    ("kelp_raw", "NDB 11445", 168457, "Seaweed (kelp)"),
    ("okra_raw", "NDB 11278", 169260, "Okra"),
    ("pistachios_raw", "NDB 12151", 170184, "Pistachios"),
    ("cocoa_powder", "NDB 19165", 169593, "Cocoa Powder"),
    ("oats", "NDB 20038", 169705, "Oats"),
    # names of the copy's first version; the later ones shift them to neighbouring IDs
    ("cabbage_savoy_raw", "NDB 11114", 170388, "Savoy Cabbage"),
    ("bok_choy_raw", "NDB 11116", 170390, "Bok Choi"),
    ("bok_choy_cooked", "NDB 11117", 170391, "Bok Choi (cooked)"),
    ("kimchi", "NDB 11118", 170392, "Kimchi"),
    ("spirulina_dried", "NDB 11667", 170495, "Seaweed (spirulina)"),
    ("wakame_raw", "NDB 11669", 170496, "Seaweed, wakame"),
    ("rice_drink_unsweetened", "NDB 14639", 171942, "Rice milk"),
    ("ice_cream_vanilla", "NDB 19095", 167575, "Vanilla Ice Cream"),
    ("carrots_raw", "NDB 11124", 170393, "Carrots"),
    ("chard_cooked", "NDB 11148", 170401, "Swiss Chard (cooked)"),
    ("wheat_bran", "NDB 20077", 169722, "Wheat Bran"),
    ("molasses", "NDB 19304", 168820, "Molasses"),
    ("quinoa_uncooked", "NDB 20035", 168874, "Quinoa (uncooked)"),
    ("prunes", "NDB 09291", 168162, "Prunes"),
]


FDC_IDS = [(*row, "usda-fdc-sr-legacy") for row in FDC_SAMPLES] + [
    (*row, "usda-fdc-sr-legacy-csv") for row in FDC_MATCHED
]


@pytest.mark.parametrize(("food_id", "record", "fdc_id", "fdc_description", "ref"), FDC_IDS)
def test_fdc_ids_match_the_sr_legacy_records(
    foods: FoodTable, food_id: str, record: str, fdc_id: int, fdc_description: str, ref: str
) -> None:
    source = foods.by_id()[food_id].source
    assert source.record == record
    assert source.fdc_id == fdc_id, fdc_description
    assert source.fdc_data_type == "SR Legacy"
    assert source.fdc_ref == ref


# (food id, FDC ID, FDC nutrient id, amount per 100 g in that food_nutrient row): the rows
# that make a match, copied from the CSV copy; the table holds the SR28 value of the same
# nutrient, which must be equal.
MATCH_ROWS = [
    ("cheese_cheddar", 173414, 1003, 22.87),
    ("cheese_cheddar", 173414, 1087, 710.0),
    ("cheese_cheddar", 173414, 1090, 27.0),
    ("cheese_cheddar", 173414, 1114, 0.6),
    ("cheese_cheddar", 173414, 1185, 2.4),
    ("egg_yolk_raw", 172184, 1003, 15.86),
    ("egg_yolk_raw", 172184, 1087, 129.0),
    ("egg_yolk_raw", 172184, 1090, 5.0),
    ("mackerel_atlantic_raw", 175119, 1003, 18.6),
    ("mackerel_atlantic_raw", 175119, 1087, 12.0),
    ("mackerel_atlantic_raw", 175119, 1090, 76.0),
    ("mackerel_atlantic_raw", 175119, 1185, 5.0),
    ("milk_human", 171279, 1003, 1.03),
    ("milk_human", 171279, 1087, 32.0),
    ("milk_human", 171279, 1090, 3.0),
    ("chicken_liver_raw", 171060, 1003, 16.92),
    ("cheese_parmesan_hard", 170848, 1087, 1184.0),
    ("cheese_swiss", 171251, 1114, 0.0),  # third pass: all five rows of each newly matched record
    ("milk_1pct", 170872, 1003, 3.37),
    ("milk_1pct", 170872, 1087, 125.0),
    ("milk_1pct", 170872, 1090, 11.0),
    ("milk_1pct", 170872, 1114, 1.2),
    ("milk_1pct", 170872, 1185, 0.1),
    ("milk_skim_unfortified", 173432, 1003, 3.37),
    ("milk_skim_unfortified", 173432, 1087, 122.0),
    ("milk_skim_unfortified", 173432, 1090, 11.0),
    ("milk_skim_unfortified", 173432, 1114, 0.0),
    ("milk_skim_unfortified", 173432, 1185, 0.0),
    ("milk_chocolate", 170879, 1003, 3.17),
    ("milk_chocolate", 170879, 1087, 112.0),
    ("milk_chocolate", 170879, 1090, 13.0),
    ("milk_chocolate", 170879, 1114, 1.3),
    ("milk_chocolate", 170879, 1185, 0.3),
    ("kefir_lowfat_plain", 170904, 1003, 3.79),
    ("kefir_lowfat_plain", 170904, 1087, 130.0),
    ("kefir_lowfat_plain", 170904, 1090, 12.0),
    ("kefir_lowfat_plain", 170904, 1114, 1.0),
    ("kefir_lowfat_plain", 170904, 1185, 0.1),
    ("cream_heavy", 170859, 1003, 2.84),
    ("cream_heavy", 170859, 1087, 66.0),
    ("cream_heavy", 170859, 1090, 7.0),
    ("cream_heavy", 170859, 1114, 1.6),
    ("cream_heavy", 170859, 1185, 3.2),
    ("cheese_cheddar_sliced", 170899, 1003, 24.25),
    ("cheese_cheddar_sliced", 170899, 1087, 711.0),
    ("cheese_cheddar_sliced", 170899, 1090, 27.0),
    ("cheese_cheddar_sliced", 170899, 1114, 1.0),
    ("cheese_cheddar_sliced", 170899, 1185, 2.4),
    ("cheese_goat_semisoft", 173433, 1003, 21.58),
    ("cheese_goat_semisoft", 173433, 1087, 298.0),
    ("cheese_goat_semisoft", 173433, 1090, 29.0),
    ("cheese_goat_semisoft", 173433, 1114, 0.5),
    ("cheese_goat_semisoft", 173433, 1185, 2.5),
    ("cheese_goat_soft", 173435, 1003, 18.52),
    ("cheese_goat_soft", 173435, 1087, 140.0),
    ("cheese_goat_soft", 173435, 1090, 16.0),
    ("cheese_goat_soft", 173435, 1114, 0.4),
    ("cheese_goat_soft", 173435, 1185, 1.8),
    ("mustard_greens_cooked", 169257, 1003, 2.56),
    ("mustard_greens_cooked", 169257, 1087, 118.0),
    ("mustard_greens_cooked", 169257, 1090, 13.0),
    ("mustard_greens_cooked", 169257, 1114, 0.0),
    ("mustard_greens_cooked", 169257, 1185, 592.7),
    ("lettuce_green_leaf", 169249, 1003, 1.36),
    ("lettuce_green_leaf", 169249, 1087, 36.0),
    ("lettuce_green_leaf", 169249, 1090, 13.0),
    ("lettuce_green_leaf", 169249, 1114, 0.0),
    ("lettuce_green_leaf", 169249, 1185, 126.3),
    ("mushrooms_white_raw", 169251, 1003, 3.09),
    ("mushrooms_white_raw", 169251, 1087, 3.0),
    ("mushrooms_white_raw", 169251, 1090, 9.0),
    ("mushrooms_white_raw", 169251, 1114, 0.2),
    ("mushrooms_white_raw", 169251, 1185, 0.0),
    ("mushrooms_crimini_raw", 168434, 1003, 2.5),
    ("mushrooms_crimini_raw", 168434, 1087, 18.0),
    ("mushrooms_crimini_raw", 168434, 1090, 9.0),
    ("mushrooms_crimini_raw", 168434, 1114, 0.1),
    ("mushrooms_crimini_raw", 168434, 1185, 0.0),
    ("mushrooms_portabella_raw", 169255, 1003, 2.11),
    ("mushrooms_portabella_raw", 169255, 1087, 3.0),
    ("mushrooms_portabella_raw", 169255, 1114, 0.3),
    ("mushrooms_portabella_raw", 169255, 1185, 0.0),
    ("mushrooms_shiitake_dried", 168436, 1003, 9.58),
    ("mushrooms_shiitake_dried", 168436, 1087, 11.0),
    ("mushrooms_shiitake_dried", 168436, 1090, 132.0),
    ("mushrooms_shiitake_dried", 168436, 1114, 3.9),
    ("mushrooms_shiitake_dried", 168436, 1185, 0.0),
    ("salmon_atlantic_farmed_raw", 175167, 1003, 20.42),
    ("salmon_atlantic_farmed_raw", 175167, 1087, 9.0),
    ("salmon_atlantic_farmed_raw", 175167, 1090, 27.0),
    ("salmon_atlantic_farmed_raw", 175167, 1114, 11.0),
    ("salmon_atlantic_farmed_raw", 175167, 1185, 0.5),
    ("tuna_white_canned_water", 175158, 1003, 23.62),
    ("tuna_white_canned_water", 175158, 1087, 14.0),
    ("tuna_white_canned_water", 175158, 1090, 33.0),
    ("tuna_white_canned_water", 175158, 1114, 2.0),
    ("tuna_white_canned_water", 175158, 1185, 2.5),
    ("cod_pacific_raw", 174191, 1003, 15.27),
    ("cod_pacific_raw", 174191, 1087, 8.0),
    ("cod_pacific_raw", 174191, 1090, 20.0),
    ("cod_pacific_raw", 174191, 1114, 0.5),
    ("cod_pacific_raw", 174191, 1185, 0.0),
    ("halibut_raw", 174200, 1003, 18.56),
    ("halibut_raw", 174200, 1087, 7.0),
    ("halibut_raw", 174200, 1090, 23.0),
    ("halibut_raw", 174200, 1114, 4.7),
    ("halibut_raw", 174200, 1185, 0.0),
    ("cod_liver_oil", 173577, 1003, 0.0),
    ("cod_liver_oil", 173577, 1087, 0.0),
    ("cod_liver_oil", 173577, 1090, 0.0),
    ("cod_liver_oil", 173577, 1114, 250.0),
    ("beef_liver_raw", 169451, 1003, 20.36),
    ("beef_liver_raw", 169451, 1087, 5.0),
    ("beef_liver_raw", 169451, 1090, 18.0),
    ("beef_liver_raw", 169451, 1114, 1.2),
    ("beef_liver_raw", 169451, 1185, 3.1),
    ("beef_liver_braised", 168626, 1003, 29.08),
    ("beef_liver_braised", 168626, 1087, 6.0),
    ("beef_liver_braised", 168626, 1090, 21.0),
    ("beef_liver_braised", 168626, 1114, 1.2),
    ("beef_liver_braised", 168626, 1185, 3.3),
    ("collards_raw", 170406, 1003, 3.02),
    ("collards_raw", 170406, 1087, 232.0),
    ("collards_raw", 170406, 1090, 27.0),
    ("collards_raw", 170406, 1114, 0.0),
    ("collards_raw", 170406, 1185, 437.1),
    ("collards_cooked", 170407, 1003, 2.71),
    ("collards_cooked", 170407, 1087, 141.0),
    ("collards_cooked", 170407, 1090, 21.0),
    ("collards_cooked", 170407, 1114, 0.0),
    ("collards_cooked", 170407, 1185, 406.6),
    ("parsley_fresh", 170416, 1003, 2.97),
    ("parsley_fresh", 170416, 1087, 138.0),
    ("parsley_fresh", 170416, 1090, 50.0),
    ("parsley_fresh", 170416, 1114, 0.0),
    ("parsley_fresh", 170416, 1185, 1640.0),
    ("lettuce_romaine", 169247, 1003, 1.23),
    ("lettuce_romaine", 169247, 1087, 33.0),
    ("lettuce_romaine", 169247, 1090, 14.0),
    ("lettuce_romaine", 169247, 1114, 0.0),
    ("lettuce_romaine", 169247, 1185, 102.5),
    ("lettuce_iceberg", 169248, 1003, 0.9),
    ("lettuce_iceberg", 169248, 1087, 18.0),
    ("lettuce_iceberg", 169248, 1090, 7.0),
    ("lettuce_iceberg", 169248, 1114, 0.0),
    ("lettuce_iceberg", 169248, 1185, 24.1),
    # fourth pass: every five-value row read of each newly matched record
    ("herring_kippered", 173668, 1003, 24.58),
    ("herring_kippered", 173668, 1087, 84.0),
    ("herring_kippered", 173668, 1090, 46.0),
    ("herring_kippered", 173668, 1114, 2.2),
    ("herring_kippered", 173668, 1185, 0.1),
    ("miso", 172442, 1003, 12.79),
    ("miso", 172442, 1087, 57.0),
    ("miso", 172442, 1090, 48.0),
    ("miso", 172442, 1114, 0.0),
    ("miso", 172442, 1185, 29.3),
    ("natto", 172443, 1003, 19.4),
    ("natto", 172443, 1087, 217.0),
    ("natto", 172443, 1090, 115.0),
    ("natto", 172443, 1114, 0.0),
    ("natto", 172443, 1185, 23.1),
    ("tofu_firm_calcium", 172448, 1003, 9.04),
    ("tofu_firm_calcium", 172448, 1087, 201.0),
    ("tofu_firm_calcium", 172448, 1090, 37.0),
    ("tofu_firm_calcium", 172448, 1114, 0.0),
    ("tofu_firm_calcium", 172448, 1185, 2.4),
    ("mushrooms_shiitake_raw", 169242, 1003, 2.24),
    ("mushrooms_shiitake_raw", 169242, 1087, 2.0),
    ("mushrooms_shiitake_raw", 169242, 1090, 20.0),
    ("mushrooms_shiitake_raw", 169242, 1114, 0.4),
    ("mushrooms_chanterelle_raw", 168422, 1003, 1.49),
    ("mushrooms_chanterelle_raw", 168422, 1087, 15.0),
    ("mushrooms_chanterelle_raw", 168422, 1090, 13.0),
    ("mushrooms_chanterelle_raw", 168422, 1114, 5.3),
    ("mushrooms_morel_raw", 168423, 1003, 3.12),
    ("mushrooms_morel_raw", 168423, 1087, 43.0),
    ("mushrooms_morel_raw", 168423, 1090, 19.0),
    ("mushrooms_morel_raw", 168423, 1114, 5.1),
    ("spinach_cooked", 168463, 1003, 2.97),
    ("spinach_cooked", 168463, 1087, 136.0),
    ("spinach_cooked", 168463, 1090, 87.0),
    ("spinach_cooked", 168463, 1114, 0.0),
    ("spinach_cooked", 168463, 1185, 493.6),
    ("leeks_raw", 169246, 1003, 1.5),
    ("leeks_raw", 169246, 1087, 59.0),
    ("leeks_raw", 169246, 1090, 28.0),
    ("leeks_raw", 169246, 1114, 0.0),
    ("leeks_raw", 169246, 1185, 47.0),
    ("cabbage_red_raw", 169977, 1003, 1.43),
    ("cabbage_red_raw", 169977, 1087, 45.0),
    ("cabbage_red_raw", 169977, 1090, 16.0),
    ("cabbage_red_raw", 169977, 1114, 0.0),
    ("cabbage_red_raw", 169977, 1185, 38.2),
    ("chard_raw", 169991, 1003, 1.8),
    ("chard_raw", 169991, 1087, 51.0),
    ("chard_raw", 169991, 1090, 81.0),
    ("chard_raw", 169991, 1114, 0.0),
    ("chard_raw", 169991, 1185, 830.0),
    ("turnip_greens_cooked", 170466, 1003, 1.14),
    ("turnip_greens_cooked", 170466, 1087, 137.0),
    ("turnip_greens_cooked", 170466, 1090, 22.0),
    ("turnip_greens_cooked", 170466, 1114, 0.0),
    ("turnip_greens_cooked", 170466, 1185, 367.6),
    ("cashews_dry_roasted", 170571, 1003, 15.31),
    ("cashews_dry_roasted", 170571, 1087, 45.0),
    ("cashews_dry_roasted", 170571, 1090, 260.0),
    ("cashews_dry_roasted", 170571, 1114, 0.0),
    ("cashews_dry_roasted", 170571, 1185, 34.7),
    ("almonds", 170567, 1003, 21.15),
    ("almonds", 170567, 1087, 269.0),
    ("almonds", 170567, 1090, 270.0),
    ("almonds", 170567, 1114, 0.0),
    ("almonds", 170567, 1185, 0.0),
    ("brazil_nuts", 170569, 1003, 14.32),
    ("brazil_nuts", 170569, 1087, 160.0),
    ("brazil_nuts", 170569, 1090, 376.0),
    ("brazil_nuts", 170569, 1114, 0.0),
    ("brazil_nuts", 170569, 1185, 0.0),
    ("walnuts", 170187, 1003, 15.23),
    ("walnuts", 170187, 1087, 98.0),
    ("walnuts", 170187, 1090, 158.0),
    ("walnuts", 170187, 1114, 0.0),
    ("walnuts", 170187, 1185, 2.7),
    ("tahini", 170189, 1003, 17.0),
    ("tahini", 170189, 1087, 426.0),
    ("tahini", 170189, 1090, 95.0),
    ("tahini", 170189, 1114, 0.0),
    ("tahini", 170189, 1185, 0.0),
    ("yogurt_plain_lowfat", 170886, 1003, 5.25),
    ("yogurt_plain_lowfat", 170886, 1087, 183.0),
    ("yogurt_plain_lowfat", 170886, 1090, 17.0),
    ("yogurt_plain_lowfat", 170886, 1114, 0.0),
    ("yogurt_plain_lowfat", 170886, 1185, 0.2),
    ("yogurt_plain_skim", 170887, 1003, 5.73),
    ("yogurt_plain_skim", 170887, 1087, 199.0),
    ("yogurt_plain_skim", 170887, 1090, 19.0),
    ("yogurt_plain_skim", 170887, 1114, 0.0),
    ("yogurt_plain_skim", 170887, 1185, 0.2),
    ("salmon_sockeye_cooked", 173692, 1003, 26.48),
    ("salmon_sockeye_cooked", 173692, 1087, 11.0),
    ("salmon_sockeye_cooked", 173692, 1090, 36.0),
    ("salmon_sockeye_cooked", 173692, 1114, 16.7),
    ("salmon_sockeye_cooked", 173692, 1185, 0.1),
    ("tofu_extra_firm_nigari", 174290, 1003, 9.98),
    ("tofu_extra_firm_nigari", 174290, 1087, 282.0),
    ("tofu_extra_firm_nigari", 174290, 1090, 35.0),
    ("tofu_extra_firm_nigari", 174290, 1114, 0.0),
    ("tofu_extra_firm_nigari", 174290, 1185, 2.8),
    ("soybeans_mature_raw", 174270, 1003, 36.49),
    ("soybeans_mature_raw", 174270, 1087, 277.0),
    ("soybeans_mature_raw", 174270, 1090, 280.0),
    ("soybeans_mature_raw", 174270, 1114, 0.0),
    ("soybeans_mature_raw", 174270, 1185, 47.0),
    ("soybeans_mature_cooked", 174271, 1003, 18.21),
    ("soybeans_mature_cooked", 174271, 1087, 102.0),
    ("soybeans_mature_cooked", 174271, 1090, 86.0),
    ("soybeans_mature_cooked", 174271, 1114, 0.0),
    ("soybeans_mature_cooked", 174271, 1185, 19.2),
    ("tempeh", 174272, 1003, 20.29),
    ("tempeh", 174272, 1087, 111.0),
    ("tempeh", 174272, 1090, 81.0),
    ("tempeh", 174272, 1114, 0.0),
    ("mussels_raw", 174216, 1003, 11.9),
    ("mussels_raw", 174216, 1087, 26.0),
    ("mussels_raw", 174216, 1090, 34.0),
    ("mussels_raw", 174216, 1114, 0.0),
    ("mussels_raw", 174216, 1185, 0.1),
    ("sesame_seeds_whole", 170150, 1003, 17.73),
    ("sesame_seeds_whole", 170150, 1087, 975.0),
    ("sesame_seeds_whole", 170150, 1090, 351.0),
    ("sesame_seeds_whole", 170150, 1114, 0.0),
    ("sesame_seeds_whole", 170150, 1185, 0.0),
    ("brussels_sprouts_raw", 170383, 1003, 3.38),
    ("brussels_sprouts_raw", 170383, 1087, 42.0),
    ("brussels_sprouts_raw", 170383, 1090, 23.0),
    ("brussels_sprouts_raw", 170383, 1114, 0.0),
    ("brussels_sprouts_raw", 170383, 1185, 177.0),
    ("chia_seeds", 170554, 1003, 16.54),
    ("chia_seeds", 170554, 1087, 631.0),
    ("chia_seeds", 170554, 1090, 335.0),
    ("sunflower_seeds", 170562, 1003, 20.78),
    ("sunflower_seeds", 170562, 1087, 78.0),
    ("sunflower_seeds", 170562, 1090, 325.0),
    ("sunflower_seeds", 170562, 1114, 0.0),
    ("sunflower_seeds", 170562, 1185, 0.0),
    ("cabbage_raw", 169975, 1003, 1.28),
    ("cabbage_raw", 169975, 1087, 40.0),
    ("cabbage_raw", 169975, 1090, 12.0),
    ("cabbage_raw", 169975, 1114, 0.0),
    ("cabbage_raw", 169975, 1185, 76.0),
    ("watercress_raw", 170068, 1003, 2.3),
    ("watercress_raw", 170068, 1087, 120.0),
    ("watercress_raw", 170068, 1090, 21.0),
    ("watercress_raw", 170068, 1114, 0.0),
    ("watercress_raw", 170068, 1185, 250.0),
    ("dandelion_greens_raw", 169226, 1003, 2.7),
    ("dandelion_greens_raw", 169226, 1087, 187.0),
    ("dandelion_greens_raw", 169226, 1090, 36.0),
    ("dandelion_greens_raw", 169226, 1114, 0.0),
    ("dandelion_greens_raw", 169226, 1185, 778.4),
    # fifth pass: rows 1535156, 1535125, 1535151, 1535088, 1535165
    ("hazelnuts", 170581, 1003, 14.95),
    ("hazelnuts", 170581, 1087, 114.0),
    ("hazelnuts", 170581, 1090, 163.0),
    ("hazelnuts", 170581, 1114, 0.0),
    ("hazelnuts", 170581, 1185, 14.2),
    # rows 1437901, 1437917, 1437904, 1437925, 1437897
    ("arugula_raw", 169387, 1003, 2.58),
    ("arugula_raw", 169387, 1087, 160.0),
    ("arugula_raw", 169387, 1090, 47.0),
    ("arugula_raw", 169387, 1114, 0.0),
    ("arugula_raw", 169387, 1185, 108.6),
    # rows 1356468, 1356433, 1356456, 1356480, 1356425
    ("amaranth_leaves_raw", 168385, 1003, 2.46),
    ("amaranth_leaves_raw", 168385, 1087, 215.0),
    ("amaranth_leaves_raw", 168385, 1090, 55.0),
    ("amaranth_leaves_raw", 168385, 1114, 0.0),
    ("amaranth_leaves_raw", 168385, 1185, 1140.0),
    # rows 1356712, 1356782, 1356772, 1356761, 1356778
    ("asparagus_raw", 168389, 1003, 2.2),
    ("asparagus_raw", 168389, 1087, 24.0),
    ("asparagus_raw", 168389, 1090, 14.0),
    ("asparagus_raw", 168389, 1114, 0.0),
    ("asparagus_raw", 168389, 1185, 41.6),
    # rows 1439827, 1439764, 1439799, 1439842, 1439816
    ("flaxseed", 169414, 1003, 18.29),
    ("flaxseed", 169414, 1087, 255.0),
    ("flaxseed", 169414, 1090, 392.0),
    ("flaxseed", 169414, 1114, 0.0),
    ("flaxseed", 169414, 1185, 4.3),
    # rows 1358522, 1358511, 1358505, 1358537, 1358447
    ("edamame", 168411, 1003, 11.91),
    ("edamame", 168411, 1087, 63.0),
    ("edamame", 168411, 1090, 64.0),
    ("edamame", 168411, 1114, 0.0),
    ("edamame", 168411, 1185, 26.7),
    # rows 1358609, 1358580, 1358613, 1358620, 1358622
    ("endive_raw", 168412, 1003, 1.25),
    ("endive_raw", 168412, 1087, 52.0),
    ("endive_raw", 168412, 1090, 15.0),
    ("endive_raw", 168412, 1114, 0.0),
    ("endive_raw", 168412, 1185, 231.0),
    # rows 1358332, 1358292, 1358330, 1358337, 1358313
    ("cucumber_with_peel", 168409, 1003, 0.65),
    ("cucumber_with_peel", 168409, 1087, 16.0),
    ("cucumber_with_peel", 168409, 1090, 13.0),
    ("cucumber_with_peel", 168409, 1114, 0.0),
    ("cucumber_with_peel", 168409, 1185, 16.4),
    # rows 1362117, 1362151, 1362112, 1362156, 1362086
    ("kelp_raw", 168457, 1003, 1.68),
    ("kelp_raw", 168457, 1087, 168.0),
    ("kelp_raw", 168457, 1090, 121.0),
    ("kelp_raw", 168457, 1114, 0.0),
    ("kelp_raw", 168457, 1185, 66.0),
    # rows 1428242, 1428275, 1428259, 1428287, 1428246
    ("okra_raw", 169260, 1003, 1.93),
    ("okra_raw", 169260, 1087, 82.0),
    ("okra_raw", 169260, 1090, 57.0),
    ("okra_raw", 169260, 1114, 0.0),
    ("okra_raw", 169260, 1185, 31.3),
    # rows 1501574, 1501513, 1501587, 1501499 (no 1185 row in 1501487-1501597)
    ("pistachios_raw", 170184, 1003, 20.16),
    ("pistachios_raw", 170184, 1087, 105.0),
    ("pistachios_raw", 170184, 1090, 121.0),
    ("pistachios_raw", 170184, 1114, 0.0),
    # rows 1455433, 1455455, 1455428, 1455471, 1455410
    ("cocoa_powder", 169593, 1003, 19.6),
    ("cocoa_powder", 169593, 1087, 128.0),
    ("cocoa_powder", 169593, 1090, 499.0),
    ("cocoa_powder", 169593, 1114, 0.0),
    ("cocoa_powder", 169593, 1185, 2.5),
    # rows 1462964, 1462990, 1462958, 1463013 (no 1185 row in 1462949-1463013)
    ("oats", 169705, 1003, 16.89),
    ("oats", 169705, 1087, 54.0),
    ("oats", 169705, 1090, 177.0),
    ("oats", 169705, 1114, 0.0),
    # rows 1519517, 1519535, 1519512, 1519553, 1519566
    ("cabbage_savoy_raw", 170388, 1003, 2.0),
    ("cabbage_savoy_raw", 170388, 1087, 35.0),
    ("cabbage_savoy_raw", 170388, 1090, 28.0),
    ("cabbage_savoy_raw", 170388, 1114, 0.0),
    ("cabbage_savoy_raw", 170388, 1185, 68.8),
    # rows 1519677, 1519699, 1519672, 1519713, 1519730
    ("bok_choy_raw", 170390, 1003, 1.5),
    ("bok_choy_raw", 170390, 1087, 105.0),
    ("bok_choy_raw", 170390, 1090, 19.0),
    ("bok_choy_raw", 170390, 1114, 0.0),
    ("bok_choy_raw", 170390, 1185, 45.5),
    # rows 1519808, 1519792, 1519811, 1519833, 1519844
    ("bok_choy_cooked", 170391, 1003, 1.56),
    ("bok_choy_cooked", 170391, 1087, 93.0),
    ("bok_choy_cooked", 170391, 1090, 11.0),
    ("bok_choy_cooked", 170391, 1114, 0.0),
    ("bok_choy_cooked", 170391, 1185, 34.0),
    # rows 1519881, 1519854, 1519887, 1519896, 1519904
    ("kimchi", 170392, 1003, 1.1),
    ("kimchi", 170392, 1087, 33.0),
    ("kimchi", 170392, 1090, 14.0),
    ("kimchi", 170392, 1114, 0.0),
    ("kimchi", 170392, 1185, 43.6),
    # rows 1528316, 1528293, 1528320, 1528348, 1528277
    ("spirulina_dried", 170495, 1003, 57.47),
    ("spirulina_dried", 170495, 1087, 120.0),
    ("spirulina_dried", 170495, 1090, 195.0),
    ("spirulina_dried", 170495, 1114, 0.0),
    ("spirulina_dried", 170495, 1185, 25.5),
    # rows 1528401, 1528424, 1528405, 1528438, 1528375
    ("wakame_raw", 170496, 1003, 3.03),
    ("wakame_raw", 170496, 1087, 150.0),
    ("wakame_raw", 170496, 1090, 107.0),
    ("wakame_raw", 170496, 1114, 0.0),
    ("wakame_raw", 170496, 1185, 5.3),
    # rows 1652406, 1652464, 1652412, 1652422, 1652429
    ("rice_drink_unsweetened", 171942, 1003, 0.28),
    ("rice_drink_unsweetened", 171942, 1087, 118.0),
    ("rice_drink_unsweetened", 171942, 1090, 11.0),
    ("rice_drink_unsweetened", 171942, 1114, 1.0),
    ("rice_drink_unsweetened", 171942, 1185, 0.2),
    # rows 1288954, 1288944, 1288957, 1288935, 1288886
    ("ice_cream_vanilla", 167575, 1003, 3.5),
    ("ice_cream_vanilla", 167575, 1087, 128.0),
    ("ice_cream_vanilla", 167575, 1090, 14.0),
    ("ice_cream_vanilla", 167575, 1114, 0.2),
    ("ice_cream_vanilla", 167575, 1185, 0.3),
    # rows 1519940, 1519952, 1519928, 1520032, 1519925
    ("carrots_raw", 170393, 1003, 0.93),
    ("carrots_raw", 170393, 1087, 33.0),
    ("carrots_raw", 170393, 1090, 12.0),
    ("carrots_raw", 170393, 1114, 0.0),
    ("carrots_raw", 170393, 1185, 13.2),
    # rows 1520728, 1520709, 1520723, 1520742, 1520753
    ("chard_cooked", 170401, 1003, 1.88),
    ("chard_cooked", 170401, 1087, 58.0),
    ("chard_cooked", 170401, 1090, 86.0),
    ("chard_cooked", 170401, 1114, 0.0),
    ("chard_cooked", 170401, 1185, 327.3),
    # rows 1464351, 1464331, 1464355, 1464390, 1464382
    ("wheat_bran", 169722, 1003, 15.55),
    ("wheat_bran", 169722, 1087, 73.0),
    ("wheat_bran", 169722, 1090, 611.0),
    ("wheat_bran", 169722, 1114, 0.0),
    ("wheat_bran", 169722, 1185, 1.9),
    # rows 1391575, 1391555, 1391545, 1391583, 1391566
    ("molasses", 168820, 1003, 0.0),
    ("molasses", 168820, 1087, 205.0),
    ("molasses", 168820, 1090, 242.0),
    ("molasses", 168820, 1114, 0.0),
    ("molasses", 168820, 1185, 0.0),
    # rows 1395404, 1395409, 1395387, 1395483, 1395468
    ("quinoa_uncooked", 168874, 1003, 14.12),
    ("quinoa_uncooked", 168874, 1087, 47.0),
    ("quinoa_uncooked", 168874, 1090, 197.0),
    ("quinoa_uncooked", 168874, 1114, 0.0),
    ("quinoa_uncooked", 168874, 1185, 0.0),
    # rows 1335080, 1335087, 1335060, 1335125, 1335067
    ("prunes", 168162, 1003, 2.18),
    ("prunes", 168162, 1087, 43.0),
    ("prunes", 168162, 1090, 41.0),
    ("prunes", 168162, 1114, 0.0),
    ("prunes", 168162, 1185, 59.5),
]
# (food id, FDC ID, FDC nutrient id) of a match row the record does not have: the table's
# SR28 value is blank too, so the food has no value (never a zero).
ABSENT_MATCH_ROWS = [
    ("mushrooms_portabella_raw", 169255, 1090),
    ("cod_liver_oil", 173577, 1185),
    ("mushrooms_shiitake_raw", 169242, 1185),
    ("mushrooms_chanterelle_raw", 168422, 1185),
    ("mushrooms_morel_raw", 168423, 1185),
    ("tempeh", 174272, 1185),
    ("chia_seeds", 170554, 1114),
    ("chia_seeds", 170554, 1185),
    ("pistachios_raw", 170184, 1185),
    ("oats", 169705, 1185),
]
FDC_NUTRIENT_KEY = {
    1003: "protein_g",
    1087: "calcium_mg",
    1090: "magnesium_mg",
    1114: "vitamin_d_mcg",
    1185: "vitamin_k1_mcg",
}


@pytest.mark.parametrize(("food_id", "fdc_id", "nutrient_id", "amount"), MATCH_ROWS)
def test_matched_fdc_ids_agree_with_the_records_values(
    foods: FoodTable, food_id: str, fdc_id: int, nutrient_id: int, amount: float
) -> None:
    food = foods.by_id()[food_id]
    assert food.source.fdc_id == fdc_id
    assert food.amount_per_100g(FDC_NUTRIENT_KEY[nutrient_id]) == pytest.approx(amount, abs=1e-9)


@pytest.mark.parametrize(("food_id", "fdc_id", "nutrient_id"), ABSENT_MATCH_ROWS)
def test_a_match_row_the_record_lacks_stays_missing(
    foods: FoodTable, food_id: str, fdc_id: int, nutrient_id: int
) -> None:
    food = foods.by_id()[food_id]
    assert food.source.fdc_id == fdc_id
    assert food.amount_per_100g(FDC_NUTRIENT_KEY[nutrient_id]) is None


def test_only_verified_foods_carry_an_fdc_id(foods: FoodTable) -> None:
    with_id = {food.id for food in foods.foods if food.source.fdc_id is not None}
    assert with_id == {row[0] for row in (*FDC_SAMPLES, *FDC_MATCHED)}
    # candidates whose FDC rows disagree with the table's record (see usda-fdc-sr-legacy-csv)
    by_id = foods.by_id()
    for rejected in ("milk_2pct", "milk_evaporated", "cheese_american_vitamin_d"):
        assert by_id[rejected].source.fdc_id is None
    assert by_id["cheese_ricotta_whole"].source.fdc_id is None
    # FDC 173432 ("Milk, skim") states vitamin D2 + D3 0.0 (row 1778555): it is the record
    # without added vitamins A and D (NDB 01151), not the fortified skim milk (1.2, NDB 01085)
    assert by_id["milk_skim"].source.fdc_id is None
    assert by_id["milk_skim_unfortified"].source.fdc_id == 173432
    # FDC 170403 is named "Swiss chard, raw" in the copy's last version, but its rows
    # (protein 0.62, calcium 13, magnesium 12, K1 4.7) are not the chard record's (1.8, 51,
    # 81, 830); the copy's first version calls it "Chayote Fruit (cooked)". The raw chard
    # record is FDC 169991 ("Swiss Chard"), whose rows are the table's five values.
    assert by_id["chard_raw"].source.fdc_id == 169991
    # FDC 170383 has the raw Brussels sprouts record's values; the copy's last version names
    # another ID (170384) "Brussels sprouts, raw", but its first version calls 170383
    # "Brussels Sprouts (uncooked)" and 170384 "Burdock Root" (whose values 170384 has).
    assert by_id["brussels_sprouts_raw"].source.fdc_id == 170383
    # fourth pass: the copy's record disagrees with the table's SR28 values (kale 168421:
    # protein 2.92, calcium 254, magnesium 33, K1 389.6 vs 4.28, 150, 47, 704.8; boiled kale
    # 169238: 2.94, 150, 25, 418.5 vs 1.9, 72, 18, 817; bok choy 169980: calcium 32,
    # magnesium 10 vs 105, 19; shrimp 175179: 20.1, 64, 35 vs 13.61, 54, 22; peanut butter
    # 174294: 21.93, 54, 179 vs 22.21, 49, 168), or the values agree but the copy names
    # another food (169979 "Napa cabbage, boiled" for raw napa; 169988 "Celery, boiled" for
    # raw celery) or has no description at all (169976, boiled cabbage's values): no ID.
    for rejected in (
        "kale_raw",
        "kale_cooked",
        "shrimp_raw",
        "peanut_butter",
        "napa_cabbage_raw",
        "celery_raw",
        "cabbage_cooked",
    ):
        assert by_id[rejected].source.fdc_id is None
    # fifth pass: raw bok choy is FDC 170390 ("Bok Choi" in the first version), whose rows
    # are the table's values; 169980 (calcium 32, magnesium 10) stays rejected
    assert by_id["bok_choy_raw"].source.fdc_id == 170390
    # fifth pass: FDC 169098 ("Orange Juice") states protein 0.7 (row 1413085) and K1 0.1
    # (row 1413060), not the chilled juice record's 0.68 and 0: another orange juice record,
    # so no orange juice gets that ID.
    for rejected in ("orange_juice", "orange_juice_calcium_vitamin_d", "orange_juice_calcium"):
        assert by_id[rejected].source.fdc_id is None
    # fifth pass: boiled beet greens' values sit under FDC 170376, which every version of the
    # copy's food list calls "Yellow beans, raw": the names disagree, so no ID.
    assert by_id["beet_greens_cooked"].source.fdc_id is None


def test_every_fdc_id_is_unique_and_sr_legacy(foods: FoodTable) -> None:
    sources = [food.source for food in foods.foods if food.source.fdc_id is not None]
    ids = [source.fdc_id for source in sources]
    assert len(ids) == len(set(ids)) == 145
    assert {source.fdc_data_type for source in sources} == {"SR Legacy"}
    assert {source.fdc_ref for source in sources} == {
        "usda-fdc-sr-legacy",
        "usda-fdc-sr-legacy-csv",
    }


# (food id, key, value, reference, what the locator must name)
OTHER_SOURCE_SAMPLES = [
    # FDC SR Legacy food_nutrient, nutrient 1112 (D3), by FDC ID
    ("egg_whole_raw", "vitamin_d3_mcg", 2.0, "usda-fdc-sr-legacy", "FDC 171287"),
    ("chicken_breast_roasted", "vitamin_d3_mcg", 0.1, "usda-fdc-sr-legacy", "FDC 171477"),
    ("beef_ground_93", "vitamin_d3_mcg", 0.1, "usda-fdc-sr-legacy", "FDC 173110"),
    # the same table, second pass: value and the food_nutrient row it was copied from
    (
        "egg_yolk_raw",
        "vitamin_d3_mcg",
        5.4,
        "usda-fdc-sr-legacy",
        "FDC 172184 food_nutrient 1674796",
    ),
    ("egg_duck", "vitamin_d3_mcg", 1.7, "usda-fdc-sr-legacy", "FDC 172189 food_nutrient 1675327"),
    (
        "egg_scrambled",
        "vitamin_d3_mcg",
        1.8,
        "usda-fdc-sr-legacy",
        "FDC 172187 food_nutrient 1675181",
    ),
    ("egg_scrambled", "mk4_mcg", 0.2, "usda-fdc-sr-legacy", "FDC 172187 food_nutrient 1675130"),
    ("mackerel_atlantic_raw", "vitamin_d3_mcg", 16.1, "usda-fdc-sr-legacy", "FDC 175119"),
    ("mackerel_jack_canned", "vitamin_d3_mcg", 7.3, "usda-fdc-sr-legacy", "FDC 175121"),
    ("herring_atlantic_raw", "vitamin_d3_mcg", 4.2, "usda-fdc-sr-legacy", "FDC 175116"),
    ("herring_pickled", "vitamin_d3_mcg", 2.8, "usda-fdc-sr-legacy", "FDC 175118"),
    ("trout_rainbow_farmed_raw", "vitamin_d3_mcg", 15.9, "usda-fdc-sr-legacy", "FDC 173717"),
    ("trout_rainbow_farmed_cooked", "vitamin_d3_mcg", 19.0, "usda-fdc-sr-legacy", "FDC 173718"),
    ("tuna_bluefin_raw", "vitamin_d3_mcg", 5.7, "usda-fdc-sr-legacy", "FDC 173706"),
    ("tuna_light_canned_water", "vitamin_d3_mcg", 1.2, "usda-fdc-sr-legacy", "FDC 173709"),
    ("cheese_cheddar", "mk4_mcg", 8.6, "usda-fdc-sr-legacy", "FDC 173414 food_nutrient 1776840"),
    ("cheese_cream", "mk4_mcg", 8.7, "usda-fdc-sr-legacy", "FDC 173418 food_nutrient 1777244"),
    ("cheese_parmesan_grated", "mk4_mcg", 7.1, "usda-fdc-sr-legacy", "FDC 171247"),
    ("cheese_swiss", "mk4_mcg", 6.3, "usda-fdc-sr-legacy", "FDC 171251 food_nutrient 1594331"),
    ("cream_sour", "mk4_mcg", 6.0, "usda-fdc-sr-legacy", "FDC 171257 food_nutrient 1595001"),
    ("cheese_cottage_creamed", "mk4_mcg", 0.9, "usda-fdc-sr-legacy", "FDC 172179"),
    # stated zeros are reported values (analysed rows), kept as 0.0 with their source
    ("cheese_swiss", "vitamin_d2_mcg", 0.0, "usda-fdc-sr-legacy", "nutrient 1111"),
    ("butter_salted", "vitamin_d3_mcg", 0.0, "usda-fdc-sr-legacy", "FDC 173410"),
    ("chicken_liver_raw", "vitamin_d3_mcg", 0.0, "usda-fdc-sr-legacy", "FDC 171060"),
    # third pass: every D2 (1111), D3 (1112) and MK-4 (1183) row of the newly matched records
    (
        "milk_chocolate",
        "vitamin_d3_mcg",
        1.3,
        "usda-fdc-sr-legacy",
        "FDC 170879 food_nutrient 1561971",
    ),
    (
        "cream_heavy",
        "vitamin_d2_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 170859 food_nutrient 1560172",
    ),
    (
        "cream_heavy",
        "vitamin_d3_mcg",
        1.6,
        "usda-fdc-sr-legacy",
        "FDC 170859 food_nutrient 1560219",
    ),
    ("milk_1pct", "vitamin_d3_mcg", 1.2, "usda-fdc-sr-legacy", "FDC 170872 food_nutrient 1561320"),
    # fifth pass: the rice drink's D2 row and the ice cream's D3 row
    (
        "rice_drink_unsweetened",
        "vitamin_d2_mcg",
        1.0,
        "usda-fdc-sr-legacy",
        "FDC 171942 food_nutrient 1652469",
    ),
    (
        "ice_cream_vanilla",
        "vitamin_d3_mcg",
        0.2,
        "usda-fdc-sr-legacy",
        "FDC 167575 food_nutrient 1288934",
    ),
    (
        "milk_skim_unfortified",
        "vitamin_d3_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 173432 food_nutrient 1778554",
    ),
    (
        "cheese_goat_semisoft",
        "vitamin_d3_mcg",
        0.5,
        "usda-fdc-sr-legacy",
        "FDC 173433 food_nutrient 1778671",
    ),
    (
        "cheese_goat_soft",
        "vitamin_d3_mcg",
        0.4,
        "usda-fdc-sr-legacy",
        "FDC 173435 food_nutrient 1778809",
    ),
    (
        "cheese_cheddar_sliced",
        "vitamin_d3_mcg",
        1.0,
        "usda-fdc-sr-legacy",
        "FDC 170899 food_nutrient 1563768",
    ),
    (
        "cheese_cheddar_sliced",
        "mk4_mcg",
        8.6,
        "usda-fdc-sr-legacy",
        "FDC 170899 food_nutrient 1563844",
    ),
    (
        "halibut_raw",
        "vitamin_d3_mcg",
        4.7,
        "usda-fdc-sr-legacy",
        "FDC 174200 food_nutrient 1839397",
    ),
    ("halibut_raw", "mk4_mcg", 0.0, "usda-fdc-sr-legacy", "FDC 174200 food_nutrient 1839353"),
    (
        "cod_pacific_raw",
        "vitamin_d3_mcg",
        0.5,
        "usda-fdc-sr-legacy",
        "FDC 174191 food_nutrient 1838419",
    ),
    ("cod_pacific_raw", "mk4_mcg", 0.0, "usda-fdc-sr-legacy", "FDC 174191 food_nutrient 1838448"),
    (
        "tuna_white_canned_water",
        "vitamin_d3_mcg",
        2.0,
        "usda-fdc-sr-legacy",
        "FDC 175158 food_nutrient 1917273",
    ),
    (
        "salmon_atlantic_farmed_raw",
        "mk4_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 175167 food_nutrient 1918099",
    ),
    (
        "kefir_lowfat_plain",
        "vitamin_d2_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 170904 food_nutrient 1564462",
    ),
    (
        "kefir_lowfat_plain",
        "vitamin_d3_mcg",
        1.0,
        "usda-fdc-sr-legacy",
        "FDC 170904 food_nutrient 1564415",
    ),
    (
        "beef_liver_raw",
        "vitamin_d3_mcg",
        1.2,
        "usda-fdc-sr-legacy",
        "FDC 169451 food_nutrient 1443314",
    ),
    (
        "beef_liver_braised",
        "vitamin_d3_mcg",
        1.2,
        "usda-fdc-sr-legacy",
        "FDC 168626 food_nutrient 1375522",
    ),
    (
        "mushrooms_shiitake_dried",
        "vitamin_d2_mcg",
        3.9,
        "usda-fdc-sr-legacy",
        "FDC 168436 food_nutrient 1360495",
    ),
    (
        "mushrooms_shiitake_dried",
        "vitamin_d3_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 168436 food_nutrient 1360410",
    ),
    (
        "mushrooms_portabella_raw",
        "vitamin_d2_mcg",
        0.3,
        "usda-fdc-sr-legacy",
        "FDC 169255 food_nutrient 1427855",
    ),
    (
        "mushrooms_portabella_raw",
        "vitamin_d3_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 169255 food_nutrient 1427868",
    ),
    (
        "mushrooms_portabella_raw",
        "mk4_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 169255 food_nutrient 1427833",
    ),
    (
        "mushrooms_crimini_raw",
        "vitamin_d2_mcg",
        0.1,
        "usda-fdc-sr-legacy",
        "FDC 168434 food_nutrient 1360262",
    ),
    (
        "mushrooms_crimini_raw",
        "vitamin_d3_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 168434 food_nutrient 1360206",
    ),
    (
        "mushrooms_crimini_raw",
        "mk4_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 168434 food_nutrient 1360266",
    ),
    (
        "mushrooms_white_raw",
        "vitamin_d2_mcg",
        0.2,
        "usda-fdc-sr-legacy",
        "FDC 169251 food_nutrient 1427448",
    ),
    (
        "mushrooms_white_raw",
        "vitamin_d3_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 169251 food_nutrient 1427446",
    ),
    (
        "mushrooms_white_raw",
        "mk4_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 169251 food_nutrient 1427380",
    ),
    # fourth pass: every D2 (1111), D3 (1112) and MK-4 (1183) row of the newly matched records
    (
        "herring_kippered",
        "vitamin_d3_mcg",
        2.2,
        "usda-fdc-sr-legacy",
        "FDC 173668 food_nutrient 1796731",
    ),
    (
        "mushrooms_shiitake_raw",
        "vitamin_d2_mcg",
        0.4,
        "usda-fdc-sr-legacy",
        "FDC 169242 food_nutrient 1426531",
    ),
    (
        "mushrooms_shiitake_raw",
        "vitamin_d3_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 169242 food_nutrient 1426556",
    ),
    (
        "mushrooms_chanterelle_raw",
        "vitamin_d2_mcg",
        5.3,
        "usda-fdc-sr-legacy",
        "FDC 168422 food_nutrient 1359288",
    ),
    (
        "mushrooms_chanterelle_raw",
        "vitamin_d3_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 168422 food_nutrient 1359293",
    ),
    (
        "mushrooms_morel_raw",
        "vitamin_d2_mcg",
        5.1,
        "usda-fdc-sr-legacy",
        "FDC 168423 food_nutrient 1359315",
    ),
    (
        "mushrooms_morel_raw",
        "vitamin_d3_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 168423 food_nutrient 1359393",
    ),
    (
        "yogurt_plain_lowfat",
        "vitamin_d3_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 170886 food_nutrient 1562637",
    ),
    (
        "salmon_sockeye_cooked",
        "vitamin_d3_mcg",
        16.7,
        "usda-fdc-sr-legacy",
        "FDC 173692 food_nutrient 1798778",
    ),
    (
        "salmon_sockeye_cooked",
        "mk4_mcg",
        0.4,
        "usda-fdc-sr-legacy",
        "FDC 173692 food_nutrient 1798680",
    ),
    (
        "mussels_raw",
        "vitamin_d3_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 174216 food_nutrient 1840993",
    ),
    (
        "sunflower_seeds",
        "mk4_mcg",
        0.0,
        "usda-fdc-sr-legacy",
        "FDC 170562 food_nutrient 1533431",
    ),
    # fifth pass: edamame's MK-4 row, a stated 0.0, and uncooked quinoa's (1.1)
    ("quinoa_uncooked", "mk4_mcg", 1.1, "usda-fdc-sr-legacy", "FDC 168874 food_nutrient 1395421"),
    ("edamame", "mk4_mcg", 0.0, "usda-fdc-sr-legacy", "FDC 168411 food_nutrient 1358410"),
    # Kamao 2007, abstract: natto 939 micrograms MK-7 per 100 g
    ("natto", "mk7_mcg", 939, "kamao-2007-japanese-foods", "Abstract"),
    # Fu 2017, abstract: total vitamin K (mean) per 100 g
    ("milk_2pct", "vitamin_k_total_mcg", 19.4, "fu-2017-dairy-vitamin-k", "2%-fat milk"),
    ("milk_1pct", "vitamin_k_total_mcg", 12.9, "fu-2017-dairy-vitamin-k", "1%-fat milk"),
    ("milk_skim", "vitamin_k_total_mcg", 7.7, "fu-2017-dairy-vitamin-k", "nonfat milk"),
    ("cheese_blue", "vitamin_k_total_mcg", 440, "fu-2017-dairy-vitamin-k", "blue cheese"),
]


@pytest.mark.parametrize(("food_id", "key", "expected", "ref", "locator"), OTHER_SOURCE_SAMPLES)
def test_values_from_other_sources_match_and_cite_them(
    foods: FoodTable, food_id: str, key: str, expected: float, ref: str, locator: str
) -> None:
    food = foods.by_id()[food_id]
    assert food.amount_per_100g(key) == pytest.approx(expected, abs=1e-9)
    cited_ref, cited_locator = food.source_of(key)
    assert cited_ref == ref
    assert locator in cited_locator


def test_the_d3_rows_agree_with_the_records_d2_plus_d3_total(foods: FoodTable) -> None:
    # FDC nutrient 1114 (Vitamin D (D2 + D3)) of the same rows: 2.0, 0.1, 0.1 ug/100 g,
    # equal to the SR28 totals the table cites: the rows belong to the same food.
    by_id = foods.by_id()
    for food_id, total in (
        ("egg_whole_raw", 2.0),
        ("chicken_breast_roasted", 0.1),
        ("beef_ground_93", 0.1),
    ):
        assert by_id[food_id].per_100g.vitamin_d_mcg == pytest.approx(total, abs=1e-9)


def test_forms_the_read_records_do_not_report_stay_missing(foods: FoodTable) -> None:
    by_id = foods.by_id()
    # FDC 171287 (egg) has no D2 (1111) and no menaquinone-4 (1183) row.
    assert by_id["egg_whole_raw"].per_100g.vitamin_d2_mcg is None
    assert by_id["egg_whole_raw"].per_100g.mk4_mcg is None
    # FDC 173414 (cheddar) reports D3 and MK-4 but no D2 row: D2 stays missing, not zero.
    assert by_id["cheese_cheddar"].per_100g.vitamin_d2_mcg is None
    # FDC 170882 (sheep milk) has no vitamin D or K row at all, like SR28.
    assert by_id["milk_sheep"].per_100g.vitamin_d3_mcg is None
    assert by_id["milk_sheep"].per_100g.vitamin_k1_mcg is None
    # Fu 2017's total is never split: the milk has no MK-n value of its own.
    assert by_id["milk_2pct"].per_100g.mk4_mcg is None
    assert by_id["milk_2pct"].per_100g.mk7_mcg is None
    counted = [food.id for food in foods.foods if food.reports_menaquinones]
    assert sorted(counted) == [
        "cheese_blue",
        "cheese_cheddar",
        "cheese_cheddar_sliced",
        "cheese_cottage_creamed",
        "cheese_cream",
        "cheese_parmesan_grated",
        "cheese_swiss",
        "cod_pacific_raw",
        "cream_sour",
        "edamame",
        "egg_scrambled",
        "halibut_raw",
        "milk_1pct",
        "milk_2pct",
        "milk_skim",
        "mushrooms_crimini_raw",
        "mushrooms_portabella_raw",
        "mushrooms_white_raw",
        "natto",
        "quinoa_uncooked",
        "salmon_atlantic_farmed_raw",
        "salmon_sockeye_cooked",
        "sunflower_seeds",
    ]
    # a stated 0.0 MK-4 row (FDC 174200 food_nutrient 1839353) is a reported zero, kept
    assert by_id["halibut_raw"].per_100g.mk4_mcg == 0.0
    # FDC 175167 (farmed salmon, raw) has the D2 + D3 total only: no D2 or D3 row
    assert by_id["salmon_atlantic_farmed_raw"].per_100g.vitamin_d3_mcg is None
    assert by_id["salmon_atlantic_farmed_raw"].per_100g.vitamin_d2_mcg is None
    # fifth pass: whole blocks without a D2, D3 or MK-4 row (hazelnuts 1535058-1535170,
    # arugula 1437862-1437934, amaranth leaves 1356420-1356482, asparagus 1356683-1356794,
    # flaxseed 1439748-1439862, endive 1358543-1358632, cucumber 1358220-1358337, kelp
    # 1362068-1362157, okra 1428184-1428288, pistachios 1501487-1501597, cocoa
    # 1455385-1455473, oats 1462949-1463013, savoy 1519506-1519596, bok choy 1519665-1519846,
    # kimchi 1519847-1519915, spirulina 1528260-1528349, wakame 1528350-1528439, carrots
    # 1519916-1520032, boiled chard 1520671-1520753, wheat bran 1464303-1464391, molasses
    # 1391511-1391584, prunes 1335010-1335125); edamame
    # (1358409-1358542) states MK-4 0.0 (row 1358410), no D2/D3
    assert by_id["edamame"].per_100g.mk4_mcg == 0.0
    assert by_id["edamame"].per_100g.vitamin_d3_mcg is None
    # the rice drink (1652406-1652478) reports D2 only, the ice cream (1288873-1288970) D3 only
    assert by_id["rice_drink_unsweetened"].per_100g.vitamin_d3_mcg is None
    assert by_id["ice_cream_vanilla"].per_100g.vitamin_d2_mcg is None
    assert by_id["rice_drink_unsweetened"].per_100g.mk4_mcg is None
    assert by_id["ice_cream_vanilla"].per_100g.mk4_mcg is None
    read_whole = (
        "hazelnuts",
        "arugula_raw",
        "amaranth_leaves_raw",
        "asparagus_raw",
        "flaxseed",
        "endive_raw",
        "cucumber_with_peel",
        "kelp_raw",
        "okra_raw",
        "pistachios_raw",
        "cocoa_powder",
        "oats",
        "cabbage_savoy_raw",
        "bok_choy_raw",
        "bok_choy_cooked",
        "kimchi",
        "spirulina_dried",
        "wakame_raw",
        "carrots_raw",
        "chard_cooked",
        "wheat_bran",
        "molasses",
        "prunes",
    )
    for food_id in read_whole:
        values = by_id[food_id].per_100g
        assert (values.vitamin_d2_mcg, values.vitamin_d3_mcg, values.mk4_mcg) == (None,) * 3
    # MK-4 alone (the only menaquinone the USDA records report) leaves K2 partly unknown
    complete = [food.id for food in foods.foods if food.reports_long_chain_menaquinones]
    assert sorted(complete) == ["cheese_blue", "milk_1pct", "milk_2pct", "milk_skim", "natto"]


def test_no_25_hydroxy_vitamin_d_is_stored_or_counted() -> None:
    # None of the FDC records read has a 25-hydroxycholecalciferol (1113) row, and the
    # schema has no key for it: nothing is added to vitamin D intake.
    assert not any("25" in key or "hydroxy" in key for key in NUTRIENT_KEYS)
