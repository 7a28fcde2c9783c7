"""The collector pause the projection and the cache reads rely on: off inside, back as it was after."""

import gc

import pytest

from kg.gc_pause import collector_paused


@pytest.fixture(autouse=True)
def collector_restored():
    was = gc.isenabled()
    yield
    gc.enable() if was else gc.disable()


def test_the_collector_is_off_inside_and_on_again_after():
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_on_again_after_an_error_inside():
    gc.enable()
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_the_projection_leaves_the_collector_on(graph):
    from kg.network import project

    gc.enable()
    project(graph, classes=["person"])
    assert gc.isenabled()
