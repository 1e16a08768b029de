"""The catalogue: content shipped as package data, read into typed models.

`loader` reads a content folder (`load_catalog`), `models` holds the `Catalog` and what every
kind shares (datasets, concepts), `toml` the reading helpers the kinds' models use, `check` is
`invert dev check`. This package's own module imports nothing, so that a kind's model can
import `invert.catalog.models` while the loader imports the kinds' models.
"""
