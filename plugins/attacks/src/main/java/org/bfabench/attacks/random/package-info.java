/** The random bit-flip baseline (Rakin et al., ICCV 2019, §5): per-layer or all-bits uniform sampling. */
package org.bfabench.attacks.random;
