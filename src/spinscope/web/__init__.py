"""The web app and REST API: ``create_app(settings, analyser=None, store=None)``.

Needs the ``web`` extra (fastapi, uvicorn, jinja2, python-multipart). ``spinscope serve``
runs it with uvicorn; tests drive it in-process with httpx.
"""

from spinscope.web.analysis import AnalysisService, InputError, NotFound, SourceInfo
from spinscope.web.app import WebContext, create_app
from spinscope.web.config import WebSettings, load_web_settings
from spinscope.web.ratelimit import RateLimiter
from spinscope.web.segments import Block, Segment, blocks, flat_segments, segment_blocks
from spinscope.web.views import Selection, analysis_view

__all__ = [
    "AnalysisService",
    "Block",
    "InputError",
    "NotFound",
    "RateLimiter",
    "Segment",
    "Selection",
    "SourceInfo",
    "WebContext",
    "WebSettings",
    "analysis_view",
    "blocks",
    "create_app",
    "flat_segments",
    "load_web_settings",
    "segment_blocks",
]
