"""Word lists for general merchandise, one product line per subcategory.

A title is "<brand> <adjective> <noun>[, <variant>]"; attributes are drawn from the listed
choices, so their JSON types (number, string, boolean) are those written here.
"""
from __future__ import annotations

from dataclasses import dataclass

Choices = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Line:
    nouns: tuple[str, ...]
    adjectives: tuple[str, ...]
    variants: tuple[str, ...]  # "" for none; "with ..." joins with a space, others a comma
    price: tuple[int, int]  # whole dollars
    weight: tuple[int, int]  # grams, shipping weight
    attributes: tuple[tuple[str, Choices], ...]
    use: str


COLOURS: Choices = ("Black", "White", "Silver", "Graphite", "Navy", "Red", "Forest Green",
                    "Sky Blue", "Sand", "Rose")
TECH_COLOURS: Choices = ("Black", "White", "Silver", "Graphite", "Midnight Blue")
FABRIC: Choices = ("Black", "Heather Grey", "Navy", "Olive", "Burgundy", "Charcoal", "Cream",
                   "Khaki", "Sky Blue")
SIZES: Choices = ("XS", "S", "M", "L", "XL", "XXL")
KIDS_SIZES: Choices = ("2T", "3T", "4T", "5", "6", "7", "8", "10", "12")
SHOE_SIZES: Choices = (6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10, 10.5, 11, 12)
AGES: Choices = (3, 4, 5, 6, 8, 10, 12, 14)
BOOL: Choices = (True, False)

LINES: dict[str, Line] = {
    "electronics-headphones": Line(
        ("Wireless Headphones", "Noise Cancelling Headphones", "True Wireless Earbuds",
         "Over-Ear Headphones", "Sport Earbuds"),
        ("Studio", "Bass", "Everyday", "Pro", "Travel", "Lite"), ("", "with Carrying Case"),
        (19, 349), (40, 350), (("colour", TECH_COLOURS), ("batteryHours", (20, 24, 30, 40, 60)),
                               ("noiseCancelling", BOOL)), "for music, calls and travel"),
    "electronics-cameras": Line(
        ("Mirrorless Camera", "Action Camera", "Instant Camera", "Digital Camera", "Dash Cam"),
        ("Compact", "4K", "Rugged", "Vlogging", "Pro"), ("", "Kit with 16-50mm Lens", "Body Only"),
        (59, 1499), (150, 900), (("colour", TECH_COLOURS), ("megapixels", (12, 20, 24, 33, 45)),
                                 ("waterproof", BOOL)), "for sharp photos and smooth video"),
    "electronics-tv-video": Line(
        ("Smart TV", "Streaming Stick", "Projector", "Soundbar", "TV Wall Mount"),
        ("4K UHD", "QLED", "HDR", "Slim", "Cinema"), ("", "2025 Model"),
        (29, 1799), (300, 25000), (("screenInches", (32, 43, 50, 55, 65, 75)),
                                   ("hdmiPorts", (1, 2, 3, 4))), "for movie nights at home"),
    "electronics-speakers": Line(
        ("Bluetooth Speaker", "Smart Speaker", "Bookshelf Speakers", "Party Speaker"),
        ("Portable", "Waterproof", "Mini", "Room-Filling", "Outdoor"), ("", "Pair"),
        (25, 499), (250, 6000), (("colour", COLOURS), ("batteryHours", (8, 12, 16, 24)),
                                 ("wattage", (10, 20, 40, 60, 100))), "for sound anywhere"),
    "electronics-wearables": Line(
        ("Smartwatch", "Fitness Tracker", "Smart Ring", "GPS Watch"),
        ("Active", "Slim", "Sport", "Classic", "Adventure"), ("", "41 mm", "45 mm"),
        (39, 499), (30, 120), (("colour", TECH_COLOURS), ("batteryDays", (2, 5, 7, 14)),
                               ("waterResistanceM", (30, 50, 100))), "for tracking every move"),
    "electronics-phone-accessories": Line(
        ("Phone Case", "USB-C Charger", "Power Bank", "Screen Protector", "Car Phone Mount",
         "Wireless Charging Pad"),
        ("Slim", "Rugged", "Fast", "MagSafe-Compatible", "Clear", "Travel"),
        ("", "2-Pack"),
        (9, 79), (30, 400), (("colour", COLOURS), ("compatibleWith", ("iPhone", "Android",
                                                                      "Universal"))),
        "for keeping your phone charged and protected"),
    "computers-laptops": Line(
        ("Laptop", "Ultrabook", "Gaming Laptop", "2-in-1 Laptop", "Chromebook"),
        ('14"', '15.6"', '13.3"', '16"'), ("", "Backlit Keyboard", "with Fingerprint Reader"),
        (249, 2499), (1100, 2800), (("colour", TECH_COLOURS), ("ramGb", (8, 16, 32)),
                                    ("storageGb", (256, 512, 1024))), "for work, study and play"),
    "computers-monitors": Line(
        ("Monitor", "Curved Monitor", "Gaming Monitor", "Portable Monitor"),
        ('24"', '27"', '32"', '34" Ultrawide'), ("", "Height-Adjustable", "USB-C"),
        (99, 899), (2500, 9000), (("refreshRateHz", (60, 75, 144, 165, 240)),
                                  ("panel", ("IPS", "VA", "OLED"))), "for a sharper desk setup"),
    "computers-keyboards-mice": Line(
        ("Mechanical Keyboard", "Wireless Mouse", "Ergonomic Mouse", "Keyboard and Mouse Combo",
         "Trackpad"),
        ("Quiet", "Compact", "RGB", "Low-Profile", "Ergonomic"), ("", "Bluetooth"),
        (15, 199), (80, 1200), (("colour", TECH_COLOURS), ("wireless", BOOL)),
        "for comfortable all-day typing"),
    "computers-storage": Line(
        ("Portable SSD", "External Hard Drive", "USB Flash Drive", "microSD Card", "NVMe SSD"),
        ("Rugged", "High-Speed", "Pocket", "Pro"), ("", "1TB", "2TB", "128GB", "512GB"),
        (9, 349), (10, 300), (("interface", ("USB-C", "USB 3.2", "NVMe", "SATA")),
                              ("readSpeedMbps", (100, 540, 1050, 3500, 7000))),
        "for backing up what matters"),
    "computers-networking": Line(
        ("Wi-Fi Router", "Mesh Wi-Fi System", "Network Switch", "Range Extender",
         "USB Wi-Fi Adapter"),
        ("Dual-Band", "Tri-Band", "Wi-Fi 6", "Gigabit"), ("", "3-Pack", "8-Port"),
        (19, 449), (100, 1500), (("wifiStandard", ("Wi-Fi 5", "Wi-Fi 6", "Wi-Fi 6E", "Wi-Fi 7")),
                                 ("ports", (1, 4, 5, 8))), "for fast, reliable internet at home"),
    "kitchen-coffee-tea": Line(
        ("French Press", "Pour-Over Coffee Maker", "Electric Kettle", "Burr Coffee Grinder",
         "Espresso Machine", "Tea Infuser"),
        ("Stainless Steel", "Glass", "Gooseneck", "Double-Wall", "Compact"),
        ("", "34 oz", "1.7 L", "12 Cup"),
        (12, 399), (300, 9000), (("colour", COLOURS), ("dishwasherSafe", BOOL)),
        "for a better morning cup"),
    "kitchen-cookware": Line(
        ("Frying Pan", "Cast Iron Skillet", "Dutch Oven", "Saucepan", "Cookware Set", "Wok"),
        ("Nonstick", "Enamelled", "Tri-Ply", "Pre-Seasoned", "Ceramic"),
        ("", '10"', '12"', "5.5 qt", "10-Piece"),
        (19, 349), (800, 9000), (("colour", COLOURS), ("ovenSafeC", (180, 230, 260)),
                                 ("inductionReady", BOOL)), "for everyday cooking"),
    "kitchen-knives-cutlery": Line(
        ("Chef's Knife", "Knife Block Set", "Santoku Knife", "Steak Knives", "Bread Knife",
         "Flatware Set"),
        ("German Steel", "Damascus", "Forged", "Japanese", "Stainless"),
        ("", '8"', "6-Piece", "20-Piece"),
        (14, 299), (150, 3000),
        (("material", ("Stainless Steel", "Carbon Steel", "Damascus Steel")),
         ("dishwasherSafe", BOOL)), "for precise, easy prep"),
    "kitchen-small-appliances": Line(
        ("Air Fryer", "Blender", "Stand Mixer", "Toaster", "Slow Cooker", "Rice Cooker",
         "Food Processor"),
        ("Digital", "High-Speed", "Compact", "Family-Size", "Smart"), ("", "5.8 qt", "4-Slice"),
        (29, 499), (1500, 11000), (("colour", COLOURS), ("wattage", (700, 900, 1200, 1500, 1700))),
        "for quicker meals with less effort"),
    "kitchen-food-storage": Line(
        ("Food Storage Containers", "Glass Meal Prep Containers", "Vacuum Sealer",
         "Reusable Silicone Bags", "Spice Jars"),
        ("Airtight", "Stackable", "Leak-Proof", "BPA-Free"), ("", "Set of 10", "24-Piece"),
        (9, 129), (300, 4000), (("material", ("Glass", "Plastic", "Silicone")),
                                ("microwaveSafe", BOOL)), "for fresher leftovers"),
    "grocery-coffee": Line(
        ("Whole Bean Coffee", "Ground Coffee", "Coffee Pods", "Cold Brew Concentrate",
         "Instant Coffee"),
        ("Dark Roast", "Medium Roast", "Light Roast", "Decaf", "Single-Origin", "Espresso"),
        ("12 oz", "2 lb", "Pack of 2"),
        (6, 39), (300, 1200), (("origin", ("Colombia", "Ethiopia", "Brazil", "Guatemala",
                                           "Sumatra")), ("organic", BOOL)),
        "for rich, balanced flavour"),
    "grocery-snacks": Line(
        ("Trail Mix", "Protein Bars", "Kettle Chips", "Dark Chocolate", "Roasted Almonds",
         "Rice Crackers"),
        ("Sea Salt", "Honey Roasted", "Spicy", "Classic", "Organic"),
        ("Pack of 12", "16 oz", "Variety Pack"),
        (3, 29), (150, 1500), (("flavour", ("Sea Salt", "Barbecue", "Chocolate", "Original",
                                            "Cinnamon")), ("glutenFree", BOOL)),
        "for snacking at home or on the go"),
    "grocery-paper-towels": Line(
        ("Paper Towels", "Toilet Paper", "Facial Tissues", "Paper Napkins"),
        ("Ultra-Strong", "Soft", "Recycled", "Select-a-Size"),
        ("6 Double Rolls", "12 Mega Rolls", "Pack of 4", "Pack of 8"),
        (5, 39), (800, 5000), (("sheetsPerRoll", (90, 120, 165, 240)), ("recycled", BOOL)),
        "for everyday spills and messes"),
    "grocery-laundry": Line(
        ("Laundry Detergent", "Laundry Pods", "Fabric Softener", "Stain Remover", "Dryer Sheets"),
        ("Free & Clear", "Fresh Scent", "Concentrated", "Sensitive Skin", "Eco"),
        ("100 fl oz", "Pack of 42", "64 Loads"),
        (5, 35), (600, 5000), (("scent", ("Unscented", "Lavender", "Fresh Linen", "Citrus")),
                               ("loads", (32, 48, 64, 96))), "for cleaner, fresher laundry"),
    "grocery-baby": Line(
        ("Nappies", "Baby Wipes", "Nappy Rash Cream", "Swim Nappies", "Training Pants"),
        ("Sensitive", "Overnight", "Hypoallergenic", "Eco", "Fragrance-Free"),
        ("Size 1", "Size 3", "Size 4", "Size 5"),
        (6, 59), (200, 6000), (("count", (56, 84, 96, 120, 144)), ("fragranceFree", BOOL)),
        "for gentle, reliable care"),
    "toys-building-sets": Line(
        ("Building Set", "Brick Set", "Magnetic Tiles", "Construction Kit", "Marble Run"),
        ("Creative", "Space Station", "City", "Castle", "Robot", "Deluxe"),
        ("", "500 Pieces", "1,000 Pieces", "120 Pieces"),
        (14, 199), (300, 3500), (("pieces", (60, 120, 250, 500, 1000)), ("minAge", AGES)),
        "for hours of hands-on building"),
    "toys-board-games": Line(
        ("Board Game", "Card Game", "Strategy Game", "Party Game", "Cooperative Game"),
        ("Family", "Classic", "Fast-Paced", "Epic", "Pocket"), ("", "Deluxe Edition"),
        (9, 79), (200, 2500), (("players", ("2-4", "2-6", "3-8", "1-5")), ("minAge", AGES),
                               ("playMinutes", (15, 30, 45, 60, 90))), "for game night"),
    "toys-puzzles": Line(
        ("Jigsaw Puzzle", "3D Puzzle", "Brain Teaser Set", "Floor Puzzle"),
        ("Landscape", "Wildlife", "Vintage Map", "Starry Night", "Cityscape"),
        ("500 Pieces", "1000 Pieces", "24 Pieces", ""),
        (9, 49), (200, 1500), (("pieces", (24, 300, 500, 1000, 2000)), ("minAge", AGES)),
        "for a calm afternoon"),
    "toys-dolls-figures": Line(
        ("Action Figure", "Fashion Doll", "Plush Toy", "Dollhouse", "Figure Playset"),
        ("Collector's", "Adventure", "Soft", "Poseable", "Deluxe"), ("", '12"', "with Accessories"),
        (8, 149), (100, 6000), (("minAge", AGES), ("colour", COLOURS)), "for imaginative play"),
    "toys-outdoor-play": Line(
        ("Kick Scooter", "Water Blaster", "Kite", "Trampoline", "Sandbox Set", "Bubble Machine"),
        ("Kids'", "Foldable", "Light-Up", "Giant", "Backyard"), ("", "Set of 2"),
        (9, 299), (200, 30000), (("minAge", AGES), ("colour", COLOURS)),
        "for active days outside"),
    "apparel-men": Line(
        ("Crew Neck T-Shirt", "Oxford Shirt", "Chino Pants", "Hoodie", "Rain Jacket",
         "Merino Sweater"),
        ("Men's", "Men's Slim-Fit", "Men's Relaxed", "Men's Organic Cotton"), ("",),
        (12, 189), (150, 1200), (("colour", FABRIC), ("size", SIZES),
                                 ("material", ("Cotton", "Merino Wool", "Polyester", "Linen"))),
        "for everyday comfort"),
    "apparel-women": Line(
        ("Wrap Dress", "Cardigan", "High-Rise Jeans", "Puffer Jacket", "Blouse", "Leggings"),
        ("Women's", "Women's Stretch", "Women's Relaxed", "Women's Organic Cotton"), ("",),
        (14, 199), (150, 1200), (("colour", FABRIC), ("size", SIZES),
                                 ("material", ("Cotton", "Viscose", "Wool Blend", "Denim"))),
        "for effortless style"),
    "apparel-kids": Line(
        ("T-Shirt", "Pyjama Set", "Rain Jacket", "Joggers", "Hoodie"),
        ("Kids'", "Toddler", "Boys'", "Girls'"), ("", "2-Pack"),
        (8, 69), (100, 700), (("colour", FABRIC), ("size", KIDS_SIZES)),
        "for playground-proof comfort"),
    "apparel-shoes": Line(
        ("Sneakers", "Running Shoes", "Leather Boots", "Sandals", "Slip-On Loafers",
         "Hiking Boots"),
        ("Men's", "Women's", "Unisex", "Waterproof", "Lightweight"), ("",),
        (25, 229), (400, 1800), (("colour", FABRIC), ("usSize", SHOE_SIZES),
                                 ("waterproof", BOOL)), "for all-day support"),
    "apparel-accessories": Line(
        ("Leather Belt", "Beanie", "Sunglasses", "Backpack", "Wallet", "Scarf"),
        ("Classic", "Polarised", "Minimalist", "Knit", "Travel"), ("",),
        (9, 149), (50, 1200), (("colour", FABRIC), ("material", ("Leather", "Wool", "Canvas",
                                                                 "Recycled Polyester"))),
        "for finishing any outfit"),
    "sports-camping-hiking": Line(
        ("Tent", "Sleeping Bag", "Hiking Backpack", "Camping Stove", "Headlamp", "Trekking Poles"),
        ("Ultralight", "4-Season", "Waterproof", "Compact", "Expedition"),
        ("", "2-Person", "4-Person", "40 L", "65 L"),
        (15, 499), (100, 6000), (("colour", COLOURS), ("weightClass", ("Ultralight", "Standard",
                                                                        "Heavy-Duty"))),
        "for weekends in the wild"),
    "sports-cycling": Line(
        ("Bike Helmet", "Bike Light Set", "Bike Lock", "Cycling Gloves", "Bike Pump",
         "Bike Repair Kit"),
        ("Commuter", "Road", "Mountain", "Rechargeable", "Heavy-Duty"), ("",),
        (9, 199), (100, 2000), (("colour", COLOURS), ("size", ("S", "M", "L"))),
        "for safer rides"),
    "sports-fitness": Line(
        ("Yoga Mat", "Adjustable Dumbbells", "Resistance Bands", "Kettlebell", "Foam Roller",
         "Jump Rope"),
        ("Non-Slip", "Pro", "Home Gym", "Heavy", "Travel"), ("", "Set of 5", "20 lb", "35 lb"),
        (9, 349), (200, 25000), (("colour", COLOURS), ("maxWeightKg", (5, 10, 16, 24, 40))),
        "for training at home"),
    "sports-running": Line(
        ("Running Belt", "Running Socks", "Hydration Vest", "Running Cap", "Reflective Vest"),
        ("Lightweight", "Breathable", "Trail", "Marathon", "Night"), ("", "3-Pack"),
        (8, 129), (50, 600), (("colour", COLOURS), ("size", ("S", "M", "L", "XL"))),
        "for better miles"),
    "sports-water-sports": Line(
        ("Swim Goggles", "Inflatable Paddle Board", "Snorkel Set", "Life Jacket", "Wetsuit"),
        ("Anti-Fog", "Adult", "Kids'", "Touring", "Thermal"), ("", "10'6\""),
        (12, 699), (100, 12000), (("colour", COLOURS), ("size", ("S", "M", "L", "XL"))),
        "for days on and in the water"),
    "tools-power-tools": Line(
        ("Cordless Drill", "Impact Driver", "Circular Saw", "Orbital Sander", "Jigsaw",
         "Angle Grinder"),
        ("Brushless", "Compact", "Heavy-Duty", "Cordless", "Professional"),
        ("", "Kit with 2 Batteries", "Tool Only"),
        (39, 399), (1000, 6000), (("voltage", (12, 18, 20, 40)), ("brushless", BOOL)),
        "for faster projects around the house"),
    "tools-hand-tools": Line(
        ("Screwdriver Set", "Claw Hammer", "Socket Set", "Adjustable Wrench", "Pliers Set",
         "Utility Knife"),
        ("Professional", "Magnetic", "Ratcheting", "Forged", "Compact"),
        ("", "42-Piece", "3-Piece", '10"'),
        (7, 149), (150, 5000), (("material", ("Chrome Vanadium Steel", "Carbon Steel",
                                              "Fibreglass")), ("pieces", (1, 3, 12, 42, 100))),
        "for every repair job"),
    "tools-garden-tools": Line(
        ("Pruning Shears", "Garden Hose", "Leaf Blower", "Hedge Trimmer", "Garden Trowel Set",
         "Wheelbarrow"),
        ("Bypass", "Expandable", "Cordless", "Ergonomic", "Heavy-Duty"), ("", "50 ft", "3-Piece"),
        (9, 299), (200, 15000), (("colour", ("Green", "Orange", "Black", "Red")),
                                 ("cordless", BOOL)), "for a tidier garden"),
    "tools-measuring-layout": Line(
        ("Tape Measure", "Laser Level", "Stud Finder", "Laser Distance Meter", "Spirit Level"),
        ("25 ft", "Self-Levelling", "Digital", "Magnetic", "Pro"), ("",),
        (8, 199), (100, 1500), (("rangeM", (5, 8, 30, 50, 100)), ("batteryPowered", BOOL)),
        "for measuring twice and cutting once"),
}
