package scidata

// Class names, indexed by label.
var (
	// MNISTClasses names MNIST's labels.
	MNISTClasses = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}

	// FashionMNISTClasses names Fashion-MNIST's labels.
	FashionMNISTClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
		"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

	// KuzushijiMNISTClasses names Kuzushiji-MNIST's labels: the hiragana
	// お き す つ な は ま や れ を, romanized.
	KuzushijiMNISTClasses = []string{"o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"}

	// CIFAR10Classes names CIFAR-10's labels.
	CIFAR10Classes = []string{"airplane", "automobile", "bird", "cat", "deer",
		"dog", "frog", "horse", "ship", "truck"}

	// CIFAR100CoarseClasses names CIFAR-100's 20 coarse labels (superclasses).
	CIFAR100CoarseClasses = []string{"aquatic_mammals", "fish", "flowers", "food_containers",
		"fruit_and_vegetables", "household_electrical_devices", "household_furniture", "insects",
		"large_carnivores", "large_man-made_outdoor_things", "large_natural_outdoor_scenes",
		"large_omnivores_and_herbivores", "medium_mammals", "non-insect_invertebrates", "people",
		"reptiles", "small_mammals", "trees", "vehicles_1", "vehicles_2"}

	// CIFAR100FineClasses names CIFAR-100's 100 fine labels.
	CIFAR100FineClasses = []string{"apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee",
		"beetle", "bicycle", "bottle", "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can",
		"castle", "caterpillar", "cattle", "chair", "chimpanzee", "clock", "cloud", "cockroach",
		"couch", "crab", "crocodile", "cup", "dinosaur", "dolphin", "elephant", "flatfish", "forest",
		"fox", "girl", "hamster", "house", "kangaroo", "keyboard", "lamp", "lawn_mower", "leopard",
		"lion", "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain", "mouse",
		"mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck",
		"pine_tree", "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray",
		"road", "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail",
		"snake", "spider", "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank",
		"telephone", "television", "tiger", "tractor", "train", "trout", "tulip", "turtle",
		"wardrobe", "whale", "willow_tree", "wolf", "woman", "worm"}

	// IMDBClasses names the IMDB review labels.
	IMDBClasses = []string{"negative", "positive"}

	// IrisClasses names the Iris labels.
	IrisClasses = []string{"setosa", "versicolor", "virginica"}

	// IrisFeatures names the Iris feature columns.
	IrisFeatures = []string{"sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"}

	// WineClasses names the Wine labels (the three cultivars).
	WineClasses = []string{"class_0", "class_1", "class_2"}

	// WineFeatures names the Wine feature columns.
	WineFeatures = []string{"alcohol", "malic acid", "ash", "alcalinity of ash", "magnesium",
		"total phenols", "flavanoids", "nonflavanoid phenols", "proanthocyanins",
		"color intensity", "hue", "OD280/OD315 of diluted wines", "proline"}
)
