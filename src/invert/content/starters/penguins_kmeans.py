"""Sort penguins into groups without telling the model their species: k-means clustering.

Run it:  python starters/penguins_kmeans.py
Then change one thing (say n_clusters=3 -> 2), guess what will happen, and run it again.
"""

import time
from pathlib import Path

import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

# 1. Load the data: one penguin per row. Two penguins have no measurements at all: drop them.
DATA = Path(__file__).resolve().parent.parent / "data"  # the data folder next to starters/
measurements = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
penguins = pd.read_csv(DATA / "penguins.csv").dropna(subset=measurements)
X = penguins[measurements]
species = penguins["species"]  # kept aside: the model never sees it

print("WHAT GOES IN")
print(f"  {X.shape[0]} penguins x {X.shape[1]} measurements: {', '.join(measurements)}")
print(penguins[["species", *measurements]].sample(5, random_state=0).to_string())
counts = species.value_counts()
print("  species counts (hidden from the model):", ", ".join(f"{s} {n}" for s, n in counts.items()))

# 2. No train/test split: there is no right answer to learn, so nothing to hold out. k-means
#    only looks for groups of penguins whose measurements lie close together.

# 3. Scale each measurement to mean 0 and standard deviation 1. The groups come from distances,
#    and body mass (thousands of grams) would otherwise swamp bill depth (tens of millimetres).
X_scaled = StandardScaler().fit_transform(X)

# 4. Learn: k-means places 3 centres, puts each penguin with its nearest centre, moves each
#    centre to the middle of its penguins, and repeats. n_init=10: start 10 times, keep the best.
model = KMeans(n_clusters=3, n_init=10, random_state=42)
start = time.perf_counter()
clusters = model.fit_predict(X_scaled)
fit_seconds = time.perf_counter() - start

# 5. Only now compare with the species. The clusters are numbered 0, 1, 2 in no particular order,
#    so name each one after the species most common in it. The adjusted Rand index is 1 when the
#    clusters match the species exactly and about 0 for a random grouping.
table = pd.crosstab(species, clusters, rownames=["species"], colnames=["cluster"])
cluster_name = table.idxmax(axis=0)  # cluster number -> its most common species
y_test = species
y_pred = cluster_name.loc[clusters].to_numpy()
ari = adjusted_rand_score(species, clusters)

print("\nWHAT COMES OUT")
print(f"  grouped {len(X)} penguins into {model.n_clusters} clusters in {fit_seconds:.2f} s")
answers = pd.DataFrame({"truth": species, "cluster": clusters, "predicted": y_pred})
print(answers.sample(8, random_state=0).to_string())  # the rows are sorted by species: mix them
print(f"  adjusted Rand index: {ari:.3f}  (1 = clusters match the species, 0 = random grouping)")
print("  penguins per species and cluster (rows: species, columns: cluster):")
print(table.to_string())
