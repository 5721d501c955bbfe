package org.bfabench.datasets.idx;

import java.nio.file.Path;
import java.util.List;
import org.bfabench.datasets.io.PinnedDigest;

/**
 * The pinned facts of Fashion-MNIST and MNIST.
 *
 * <p>Archive digests are the SHA-256 of the official {@code .gz} downloads (the same values torchvision,
 * TensorFlow Datasets and others pin; their MD5s match the publishers' READMEs). Content digests are
 * the SHA-256 of the decompressed IDX files; for Fashion-MNIST they were computed here from Debian's
 * {@code dataset-fashion-mnist} package and agree with the values published for the official files.
 */
final class IdxDatasets {
    private IdxDatasets() {
    }

    static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final IdxDatasetSpec FASHION_MNIST = new IdxDatasetSpec("fashion-mnist",
            "Fashion-MNIST (Zalando): 60000/10000 grey 28x28 images of 10 clothing classes, IDX",
            FASHION_CLASSES, 28, 28, IdxDatasetProvider.grey(0.2860f, 0.3530f),
            List.of(
                    PinnedDigest.of("train-images-idx3-ubyte",
                            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                    PinnedDigest.of("train-labels-idx1-ubyte",
                            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
                    PinnedDigest.of("t10k-images-idx3-ubyte",
                            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                    PinnedDigest.of("t10k-labels-idx1-ubyte",
                            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")),
            List.of(Path.of("/usr/share/datasets/fashion-mnist")),
            List.of(IdxDatasetProvider.base("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                    IdxDatasetProvider.base("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")));

    static final IdxDatasetSpec MNIST = new IdxDatasetSpec("mnist",
            "MNIST (LeCun, Cortes, Burges): 60000/10000 grey 28x28 handwritten digits, IDX",
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), 28, 28, IdxDatasetProvider.grey(0.1307f, 0.3081f),
            List.of(
                    PinnedDigest.of("train-images-idx3-ubyte",
                            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                    PinnedDigest.of("train-labels-idx1-ubyte",
                            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                    PinnedDigest.of("t10k-images-idx3-ubyte",
                            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                    PinnedDigest.of("t10k-labels-idx1-ubyte",
                            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
            List.of(Path.of("/usr/share/datasets/mnist")),
            List.of(IdxDatasetProvider.base("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    IdxDatasetProvider.base("http://yann.lecun.com/exdb/mnist/")));
}
