"""Command line: the top layer beside app.ui. Each module registers its sub-commands.

Commands call the domain (app.catalog, app.search, app.plan) and app.build; nothing below this
package imports it.
"""
